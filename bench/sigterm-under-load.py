#!/usr/bin/env python3
"""SIGTERM under keep-alive load: starts the server jar (CPU backend, kernel square), runs 32 keep-alive
connections that send POST /api/kernels/square/process back to back, sends SIGTERM after 3 s, and counts the
answers: 200s, 503s, requests that got no whole response (lost), and whether responses after the signal said
Connection: close. Prints the exit status, the counts, ERROR and stack-trace lines, and the shutdown log line.

Usage: bench/sigterm-under-load.py JAR PORT [NAME=VALUE ...]   (extra environment for the server)
"""
import socket, sys, time, threading, subprocess, os, signal, tempfile
jar, port = sys.argv[1], int(sys.argv[2])
env = dict(os.environ, RINGKERNEL_BACKEND="cpu", RINGKERNEL_HTTP_PORT=str(port), RINGKERNEL_HTTP__INTERFACE="127.0.0.1",
           RINGKERNEL_KERNELS__START="square", RINGKERNEL_LOG_LEVEL="info")
for kv in sys.argv[3:]:
    k, v = kv.split("=", 1); env[k] = v
log = tempfile.NamedTemporaryFile("w", suffix=".log", delete=False)
proc = subprocess.Popen(["java", "-jar", jar], env=env, stdout=log, stderr=subprocess.STDOUT)
for i in range(200):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close(); break
    except Exception: time.sleep(0.1)
time.sleep(1)
body = b'{"inputs":[{"shape":[16],"data":[0.5,-1.25,2,3.5,-0.75,1,1.5,-2,0.25,4,-3,2.5,0.125,-1,3,1.75]}]}'
req = b"POST /api/kernels/square/process HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
stats = {"ok": 0, "503": 0, "other": 0, "lost": 0, "close_after_term": 0, "noclose_after_term": 0}
lock = threading.Lock(); term_at = [None]
def read_response(f):
    status = f.readline()
    if not status: raise EOFError("closed before a response")
    headers = {}
    while True:
        line = f.readline()
        if not line: raise EOFError("closed inside the head")
        if line in (b"\r\n", b"\n"): break
        k, v = line.decode().split(":", 1); headers[k.strip().lower()] = v.strip()
    n = int(headers.get("content-length", "0")); data = f.read(n)
    if len(data) < n: raise EOFError("closed inside the body")
    return int(status.split()[1]), headers
def client():
    s = socket.create_connection(("127.0.0.1", port)); f = s.makefile("rb")
    while True:
        try:
            s.sendall(req)
        except Exception:
            with lock: stats["lost"] += 1
            return
        sent_after = term_at[0] is not None
        try:
            code, headers = read_response(f)
        except Exception:
            with lock: stats["lost"] += 1
            return
        with lock:
            stats["ok" if code == 200 else "503" if code == 503 else "other"] += 1
            if term_at[0] is not None:
                stats["close_after_term" if headers.get("connection", "").lower() == "close" else "noclose_after_term"] += 1
        if headers.get("connection", "").lower() == "close":
            return
ts = [threading.Thread(target=client) for _ in range(32)]
[t.start() for t in ts]
time.sleep(3)
term_at[0] = time.time(); proc.send_signal(signal.SIGTERM)
[t.join(30) for t in ts]
rc = proc.wait(30)
log.close()
lines = open(log.name).read().splitlines()
os.unlink(log.name)
errors = [l for l in lines if " ERROR " in l]
traces = [l for l in lines if l.startswith("\tat ")]
print(f"exit {rc}; answers {stats}; ERROR lines {len(errors)}; stack-trace lines {len(traces)}")
for l in lines:
    if "shutdown on" in l or "CoordinatedShutdown" in l: print("  log:", l[:200])
