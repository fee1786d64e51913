#!/usr/bin/env bash
# Builds the benchmarks, runs every JMH benchmark, the HTTP load and the gRPC load, and rewrites bench/RESULTS.md.
#
# Usage: bench/run.sh quick|full
#   quick  one fork, 2 x 0.5 s warm-up, 2 x 1 s measurement, 5 s HTTP runs: about 5 minutes on two cores
#   full   the benchmarks' own settings (2 forks, 3 x 2 s warm-up, 5 x 2 s measurement), 15 s HTTP runs
#
# Raw results stay in bench/target/results/. Extra arguments after the mode go to JMH, e.g.
# `bench/run.sh quick RingBenchmark` runs only the ring benchmarks (the table then shows n/a elsewhere).
set -euo pipefail

mode="${1:-}"
# The benchmarks that run the actor bridge or the ring path reach their steady state only after the JIT compiled
# that whole path (several seconds; the plain baselines get there sooner), so quick mode gives them, and their
# baselines, a longer warm-up of their own.
case "$mode" in
  quick) jmh_options=(-f 1 -wi 2 -w 500ms -i 2 -r 1s); long_warmup=(-f 1 -wi 5 -w 1s -i 2 -r 1s); http_seconds=5 ;;
  full) jmh_options=(); long_warmup=(); http_seconds=15 ;;
  *) echo "usage: $0 quick|full [JMH arguments...]" >&2; exit 2 ;;
esac
shift
command_line="bench/run.sh $mode${*:+ $*}"
started=$(date +%s)

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
results=bench/target/results

echo "building (mvn -B -q -Pbench -DskipTests package)" >&2
mvn -B -q -Pbench -DskipTests package
rm -rf "$results"
mkdir -p "$results"

long_warmup_benchmarks='\.(Tell|Ask|Batching|RingBatching|Flow|Cluster|Metrics)Benchmark\.'
jmh_files=(--jmh "$results/jmh.json")
if (( $# > 0 )); then
  java -jar bench/target/benchmarks.jar "${jmh_options[@]}" -rf json -rff "$results/jmh.json" "$@" \
    2>&1 | tee "$results/jmh.log" || echo "JMH failed; the table shows n/a for what it did not measure" >&2
else
  java -jar bench/target/benchmarks.jar "${jmh_options[@]}" -e "$long_warmup_benchmarks" -rf json \
    -rff "$results/jmh.json" 2>&1 | tee "$results/jmh.log" \
    || echo "JMH failed; the table shows n/a for what it did not measure" >&2
  java -jar bench/target/benchmarks.jar ${long_warmup[@]+"${long_warmup[@]}"} "$long_warmup_benchmarks" -rf json \
    -rff "$results/jmh-bridge.json" 2>&1 | tee -a "$results/jmh.log" \
    || echo "JMH failed; the table shows n/a for what it did not measure" >&2
  jmh_files+=(--jmh "$results/jmh-bridge.json")
fi

bench/http-load.sh --duration "$http_seconds" --out "$results/http.txt" \
  2>&1 | tee "$results/http.log" || echo "the HTTP load failed; see $results/http.log" >&2

bench/grpc-load.sh --duration "$http_seconds" --out "$results/grpc.txt" \
  2>&1 | tee "$results/grpc.log" || echo "the gRPC load failed; see $results/grpc.log" >&2

python3 bench/report.py --mode "$mode" --command "$command_line" --elapsed "$(( $(date +%s) - started ))" \
  "${jmh_files[@]}" --http "$results/http.txt" --grpc "$results/grpc.txt" --out bench/RESULTS.md
