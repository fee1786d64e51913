#!/usr/bin/env bash
# HTTP load on the server with wrk, on localhost, CPU backend:
#   1. the saturated request rate of GET /health, of POST /api/kernels/square/process with JSON (16 floats) and
#      of the same route with an application/octet-stream body and answer (4,096 little-endian floats, 16 KiB);
#   2. p50 and p99 latency of /health and of the JSON route at half of /health's saturated rate, paced by a wrk
#      Lua script.
#
# Usage: bench/http-load.sh [--duration SECONDS] [--connections N] [--threads N] [--out FILE]
#   --duration     seconds of each measured wrk run (default 10)
#   --warmup       the least seconds of load on each endpoint before any measured run (default 15); each is then
#                  loaded on, in runs of 5 s, until two runs in a row come no more than 3% above the best run
#                  before them: its steady state. On two cores the JIT takes 40-60 s to compile the routing, JSON
#                  and bridge paths; a fixed 15 s measured every endpoint at 0.8-0.85 of its steady rate
#   --warmup-max   the most seconds of warm-up per endpoint (default 150); results say how long each took
#   --connections  connections of every wrk run (default 32)
#   --threads      wrk threads (default 2)
#   --out          where to write the results as key=value lines (default: standard output only)
#
# Builds the server jar when it is missing, installs wrk with apt-get when it is missing, starts the server
# on a free port bound to 127.0.0.1, and stops it (its whole process group) on exit. Environment variables
# the server reads (RINGKERNEL_*) pass through, e.g. RINGKERNEL_LOG_LEVEL=warn to silence the access log.
set -euo pipefail

duration=10
warmup=15
warmup_max=150
connections=32
threads=2
out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --warmup-max) warmup_max="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "unknown argument: $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source bench/server-lifecycle.sh
jar="http-api/target/ringkernel-server.jar"
work="$(mktemp -d)"
server_pid=""

stop_server() {
  stop_group "$server_pid"
  server_pid=""
}
cleanup() {
  stop_server
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_wrk
ensure_jar "$jar"

port="$(free_port)"
base="http://127.0.0.1:$port"

# setsid makes the server the leader of a process group of its own, so that stopping it stops all of it.
RINGKERNEL_BACKEND=cpu RINGKERNEL_HTTP_PORT="$port" RINGKERNEL_HTTP__INTERFACE=127.0.0.1 RINGKERNEL_HTTP__MANAGEMENT__PORT=0 \
  setsid java -jar "$jar" >"$work/server.log" 2>&1 &
server_pid=$!

await_ready "$base" "$server_pid" "$work/server.log"

# One Lua file per run kind. Each prints its figures in done(), which wrk calls once with every thread's
# statistics merged. Paced runs give each thread an even share of the rate: delay() hands every request the
# next free slot of the thread's schedule (wrk counts delays in whole milliseconds, so slots within one
# millisecond go out together).
cat >"$work/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d errors=%d p50_us=%.1f p99_us=%.1f\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
LUA
cat >"$work/process.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"inputs":[{"shape":[16],"data":[0.5,-1.25,2,3.5,-0.75,1,1.5,-2,0.25,4,-3,2.5,0.125,-1,3,1.75]}]}'
LUA
# 4,096 little-endian float32 values, read once per wrk thread; the answer comes back as octet-stream too.
python3 -c "import struct, sys; sys.stdout.buffer.write(struct.pack('<4096f', *[(i % 97) * 0.25 - 12 for i in range(4096)]))" \
  >"$work/body.bin"
cat >"$work/octet.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/octet-stream"
wrk.headers["Accept"] = "application/octet-stream"
local body = io.open("$work/body.bin", "rb")
wrk.body = body:read("*a")
body:close()
LUA
octet_url="$base/api/kernels/square/process?shape=4096"
cat >"$work/paced.lua" <<'LUA'
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } rk_timespec;
int clock_gettime(int clock, rk_timespec *now);
]]
local now_spec = ffi.new("rk_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, now_spec)
  return tonumber(now_spec.tv_sec) * 1000 + tonumber(now_spec.tv_nsec) / 1e6
end
local interval_ms = 1000 * tonumber(os.getenv("RK_THREADS")) / tonumber(os.getenv("RK_RATE"))
local next_slot = 0
delay = function()
  local now = now_ms()
  local slot = math.max(next_slot, now)
  next_slot = slot + interval_ms
  return math.floor(slot - now)
end
LUA

# run_wrk URL LUA... : one wrk run of $run_seconds against URL with the given Lua files; prints its RESULT line
run_wrk() {
  local url="$1"; shift
  local script="$work/run-$RANDOM.lua"
  cat "$@" "$work/report.lua" >"$script"
  wrk -t"$threads" -c"$connections" -d"${run_seconds}s" --timeout 10s -s "$script" "$url" | grep '^RESULT '
}

field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }
rate() { python3 -c "print(round($(field "$1" requests) / ($(field "$1" duration_us) / 1e6), 1))"; }

# warm_up URL LUA... : loads URL for at least $warmup s, then on in runs of 5 s until it is steady (two runs in a
# row no more than 3% above the best before them) or $warmup_max s have passed; prints the seconds it took
warm_up() {
  local url="$1"; shift
  run_seconds="$warmup"
  local best
  best="$(rate "$(run_wrk "$url" "$@")")"
  local spent="$warmup" flat=0 now
  run_seconds=5
  while (( flat < 2 && spent < warmup_max )); do
    now="$(rate "$(run_wrk "$url" "$@")")"
    spent=$((spent + 5))
    if python3 -c "import sys; sys.exit(0 if $now > 1.03 * $best else 1)"; then
      flat=0
    else
      flat=$((flat + 1))
    fi
    best="$(python3 -c "print(max($now, $best))")"
  done
  echo "$spent"
}

empty="$work/empty.lua"
: >"$empty"
echo "warming up each endpoint until its rate is steady ($warmup to $warmup_max s)" >&2
health_warmup="$(warm_up "$base/health" "$empty")"
process_warmup="$(warm_up "$base/api/kernels/square/process" "$work/process.lua")"
octet_warmup="$(warm_up "$octet_url" "$work/octet.lua")"

run_seconds="$duration"
echo "saturating /health, /process with JSON and with octet-stream ($duration s each, $threads threads," \
  "$connections connections)" >&2
health_sat="$(run_wrk "$base/health" "$empty")"
process_sat="$(run_wrk "$base/api/kernels/square/process" "$work/process.lua")"
octet_sat="$(run_wrk "$octet_url" "$work/octet.lua")"
health_rate="$(rate "$health_sat")"
process_rate="$(rate "$process_sat")"
half_rate="$(python3 -c "print(round($health_rate / 2, 1))")"

echo "pacing both at $half_rate requests/s, half of /health's saturated rate ($duration s each)" >&2
export RK_RATE="$half_rate" RK_THREADS="$threads"
health_half="$(run_wrk "$base/health" "$work/paced.lua")"
process_half="$(run_wrk "$base/api/kernels/square/process" "$work/paced.lua" "$work/process.lua")"

results="$(cat <<EOF
wrk_version=$(wrk -v 2>&1 | head -1 | awk '{print $2}')
threads=$threads
connections=$connections
duration_s=$duration
health_warmup_s=$health_warmup
process_warmup_s=$process_warmup
octet_warmup_s=$octet_warmup
health_saturated_rps=$health_rate
health_saturated_errors=$(field "$health_sat" errors)
process_saturated_rps=$process_rate
process_saturated_errors=$(field "$process_sat" errors)
octet_saturated_rps=$(rate "$octet_sat")
octet_saturated_errors=$(field "$octet_sat" errors)
half_rate_rps=$half_rate
health_half_rps=$(rate "$health_half")
health_half_p50_us=$(field "$health_half" p50_us)
health_half_p99_us=$(field "$health_half" p99_us)
health_half_errors=$(field "$health_half" errors)
process_half_rps=$(rate "$process_half")
process_half_p50_us=$(field "$process_half" p50_us)
process_half_p99_us=$(field "$process_half" p99_us)
process_half_errors=$(field "$process_half" errors)
EOF
)"
echo "$results"
if [[ -n "$out" ]]; then
  echo "$results" >"$out"
fi
