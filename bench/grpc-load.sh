#!/usr/bin/env bash
# gRPC load on the server, on localhost, CPU backend, from one client process (GrpcLoad in the benchmarks jar):
#   1. POST /api/kernels/square/process (JSON, 16 floats) and gRPC ModelInfer (the same 16 floats), each
#      closed-loop with --concurrency requests in flight: requests/s, p50 and p99;
#   2. ModelStreamInfer on one stream sending as fast as the server takes requests: replies/s.
# Both protocols hit the same server in the same run, with the same client runtime.
#
# Usage: bench/grpc-load.sh [--duration SECONDS] [--warmup SECONDS] [--concurrency N] [--out FILE]
#   --duration     seconds of each measured run (default 10)
#   --warmup       seconds of load before each measured run (default 10)
#   --concurrency  requests in flight for the closed-loop runs (default 32)
#   --out          where to write the results as key=value lines (default: standard output only)
#
# Needs bench/target/benchmarks.jar (bench/run.sh builds it) and builds the server jar when it is missing.
set -euo pipefail

duration=10
warmup=10
concurrency=32
out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
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
cleanup() {
  stop_group "$server_pid"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_jar "$jar"
port="$(free_port)"
grpc_port="$(free_port)"
base="http://127.0.0.1:$port"

RINGKERNEL_BACKEND=cpu RINGKERNEL_HTTP_PORT="$port" RINGKERNEL_HTTP__INTERFACE=127.0.0.1 RINGKERNEL_HTTP__MANAGEMENT__PORT=0 \
  RINGKERNEL_GRPC__PORT="$grpc_port" RINGKERNEL_GRPC__INTERFACE=127.0.0.1 \
  setsid java -jar "$jar" >"$work/server.log" 2>&1 &
server_pid=$!
await_ready "$base" "$server_pid" "$work/server.log"

echo "HTTP process vs gRPC ModelInfer at $concurrency in flight, then ModelStreamInfer ($warmup s warm-up, $duration s each)" >&2
java -cp bench/target/benchmarks.jar org.ringkernel.bench.GrpcLoad --http "$base" --grpc "$grpc_port" \
  --concurrency "$concurrency" --warmup "$warmup" --duration "$duration" ${out:+--out "$out"}
