#!/usr/bin/env python3
"""Slow request heads against a running server: opens N connections that each send the start of a request head
and then one byte every 20 s, and meanwhile probes GET /health once a second on a fresh connection to the main
port and, when given, the management port. Prints how many slow connections the server closed and how many
probes were answered within 1 s.

Usage: bench/slow-heads.py PORT MANAGEMENT_PORT|0 CONNECTIONS SECONDS   (run with ulimit -n above CONNECTIONS)
"""
import socket, sys, time
port, mport, n, secs = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
conns = []
for i in range(n):
    s = socket.socket(); s.settimeout(5)
    try:
        s.connect(("127.0.0.1", port)); s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-a: ")
        s.setblocking(False); conns.append(s)
    except Exception as e:
        s.close()
print("opened", len(conns))
def probe(p):
    try:
        c = socket.create_connection(("127.0.0.1", p), timeout=1); c.settimeout(1)
        c.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        return c.recv(100).startswith(b"HTTP/1.1 200")
    except Exception:
        return False
    finally:
        try: c.close()
        except Exception: pass
ok_main = ok_mgmt = tries = 0
start = time.time(); last_trickle = start
while time.time() - start < secs:
    tries += 1
    ok_main += probe(port)
    if mport: ok_mgmt += probe(mport)
    if time.time() - last_trickle > 20:
        for s in conns:
            try: s.send(b"a")
            except Exception: pass
        last_trickle = time.time()
    time.sleep(1)
closed = 0
for s in conns:
    try:
        d = s.recv(1)
        if d == b"": closed += 1
    except BlockingIOError:
        pass
    except Exception:
        closed += 1
print(f"slow connections {len(conns)}, closed by the server {closed}; probes answered: main {ok_main}/{tries}, management {ok_mgmt}/{tries if mport else 0}")
