#!/usr/bin/env bash
# The server's resident memory under a sustained load: wrk sends POST /api/kernels/square/process (16 floats as
# JSON) for --duration seconds while the server's RSS (/proc/PID/status) and heap (jstat -gc) are sampled every
# --interval seconds; at the end, jcmd's GC.heap_info (and, with --nmt, VM.native_memory summary).
#
# Usage: bench/sustained-rss.sh [--plain] [--duration SECONDS] [--interval SECONDS] [--connections N]
#                               [--threads N] [--nmt] [--out DIR]
#   --plain        start the server as `java -jar http-api/target/ringkernel-server.jar`, with the JVM's own
#                  defaults (max heap a quarter of RAM); without it, with bin/ringkernel-server and its settings
#   --duration     seconds of load (default 300)
#   --interval     seconds between samples (default 5)
#   --connections  wrk connections, each one client with one request in flight (default 64)
#   --threads      wrk threads (default 2)
#   --nmt          run the JVM with -XX:NativeMemoryTracking=summary and keep jcmd's summary at the end
#   --out          directory for samples.csv, summary.txt, heap.txt, nmt.txt, wrk.txt, server.log (default: a new
#                  temporary directory, printed at the end)
#
# Builds the server jar when it is missing, starts the server (CPU backend, log level warn so that the access
# log does not fill the disk) on a free port bound to 127.0.0.1, and stops its process group on exit. JVM options
# in JAVA_OPTS are added in either mode; RINGKERNEL_* variables pass through to the server.
set -euo pipefail

plain=false
duration=300
interval=5
connections=64
threads=2
nmt=false
out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --plain) plain=true; shift ;;
    --duration) duration="$2"; shift 2 ;;
    --interval) interval="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --nmt) nmt=true; shift ;;
    --out) out="$2"; shift 2 ;;
    *) echo "unknown argument: $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source bench/server-lifecycle.sh
jar="http-api/target/ringkernel-server.jar"
if [[ -z "$out" ]]; then
  out="$(mktemp -d)"
fi
mkdir -p "$out"
server_pid=""
sampler_pid=""
jstat_pid=""

stop_server() {
  for pid in "$sampler_pid" "$jstat_pid"; do
    if [[ -n "$pid" ]]; then
      kill "$pid" 2>/dev/null || true
    fi
  done
  stop_group "$server_pid"
  server_pid=""
}
trap stop_server EXIT
trap 'exit 130' INT TERM

ensure_wrk
ensure_jar "$jar"

extra_opts="${JAVA_OPTS:-}"
if $nmt; then
  extra_opts="$extra_opts -XX:NativeMemoryTracking=summary"
fi
port="$(free_port)"
base="http://127.0.0.1:$port"
export RINGKERNEL_BACKEND=cpu RINGKERNEL_HTTP_PORT="$port" RINGKERNEL_HTTP__INTERFACE=127.0.0.1 RINGKERNEL_HTTP__MANAGEMENT__PORT=0 \
  RINGKERNEL_LOG_LEVEL=warn
# setsid makes the server the leader of a process group of its own; both commands exec java, so $! is the JVM.
if $plain; then
  command=(java $extra_opts -jar "$jar")
  setsid "${command[@]}" >"$out/server.log" 2>&1 &
else
  command=(bin/ringkernel-server)
  JAVA_OPTS="$extra_opts" setsid "${command[@]}" >"$out/server.log" 2>&1 &
fi
server_pid=$!

await_ready "$base" "$server_pid" "$out/server.log"

cat >"$out/process.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"inputs":[{"shape":[16],"data":[0.5,-1.25,2,3.5,-0.75,1,1.5,-2,0.25,4,-3,2.5,0.125,-1,3,1.75]}]}'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d errors=%d non2xx=%d p99_us=%.1f\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout, e.status,
    latency:percentile(99)))
end
LUA

# One line per sample: seconds since the load began, RSS in KiB, threads. jstat samples the heap at the same
# pace from one attached process, far cheaper than a jcmd per sample.
started="$(date +%s.%N)"
(
  while kill -0 "$server_pid" 2>/dev/null; do
    now="$(date +%s.%N)"
    fields="$(awk '/^VmRSS:/ {rss = $2} /^Threads:/ {threads = $2} END {print rss "," threads}' \
      "/proc/$server_pid/status" 2>/dev/null)" || break
    echo "$(awk -v now="$now" -v started="$started" 'BEGIN {printf "%.1f", now - started}'),$fields"
    sleep "$interval"
  done
) >"$out/samples.csv" &
sampler_pid=$!
jstat -gc -t "$server_pid" "${interval}s" >"$out/jstat.txt" 2>&1 &
jstat_pid=$!
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

echo "loading $base with $connections connections for $duration s; samples every $interval s in $out" >&2
wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 10s -s "$out/process.lua" \
  "$base/api/kernels/square/process" >"$out/wrk.txt"

load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
jcmd "$server_pid" GC.heap_info >"$out/heap.txt"
if $nmt; then
  jcmd "$server_pid" VM.native_memory summary >"$out/nmt.txt"
fi
kill "$sampler_pid" "$jstat_pid" 2>/dev/null || true
wait "$sampler_pid" "$jstat_pid" 2>/dev/null || true
sampler_pid=""
jstat_pid=""

python3 - "$out" "${command[*]}${extra_opts:+ (JAVA_OPTS: $extra_opts)}" "$load_before" "$load_after" \
  >"$out/summary.txt" <<'PY'
import re
import sys

out, command, load_before, load_after = sys.argv[1:5]
samples = [line.split(",") for line in open(f"{out}/samples.csv") if line.count(",") == 2]
rss = [int(s[1]) / 1024 for s in samples]
heap = open(f"{out}/heap.txt").read()
total, used = re.search(r"heap\s+total (\d+)K, used (\d+)K", heap).groups()
committed_peak = 0.0
for line in open(f"{out}/jstat.txt"):
    cols = line.split()
    if len(cols) > 9 and cols[0][0].isdigit():
        # Timestamp S0C S1C S0U S1U EC EU OC OU ...: committed is S0C + S1C + EC + OC, in KiB.
        committed_peak = max(committed_peak, sum(float(cols[i]) for i in (1, 2, 5, 7)) / 1024)
wrk = dict(kv.split("=") for kv in
           next(line for line in open(f"{out}/wrk.txt") if line.startswith("RESULT ")).split()[1:])
print(f"command={command}")
print(f"samples={len(samples)}")
print(f"rss_start_mib={rss[0]:.0f}")
print(f"rss_peak_mib={max(rss):.0f}")
print(f"rss_end_mib={rss[-1]:.0f}")
print(f"heap_used_end_mib={int(used) / 1024:.0f}")
print(f"heap_committed_end_mib={int(total) / 1024:.0f}")
print(f"heap_committed_peak_mib={committed_peak:.0f}")
print(f"threads_end={samples[-1][2].strip()}")
print(f"requests={wrk['requests']}")
print(f"requests_per_s={int(wrk['requests']) / (int(wrk['duration_us']) / 1e6):.0f}")
print(f"errors={wrk['errors']}")
print(f"non2xx={wrk['non2xx']}")
print(f"p99_ms={float(wrk['p99_us']) / 1000:.1f}")
print(f"load_average_before={load_before}")
print(f"load_average_after={load_after}")
PY
cat "$out/summary.txt"
echo "results in $out" >&2
