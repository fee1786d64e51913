#!/usr/bin/env bash
# Builds the benchmarks, runs every JMH benchmark, the HTTP load and the gRPC load, and rewrites bench/RESULTS.md.
#
# Usage: bench/run.sh quick|full [--repeat N] [JMH arguments...]
#   quick  one fork, 2 x 0.5 s warm-up, 2 x 1 s measurement, 5 s HTTP runs: about 5 minutes on two cores
#   full   the benchmarks' own settings (2 forks, 3 x 2 s warm-up, 5 x 2 s measurement), 15 s HTTP runs
#   --repeat N  measures everything N times (default 1); the table shows the median of each figure and of the
#               per-run ratios with their min–max, and a target counts as met when the median ratio meets it
#               (`bench/run.sh quick --repeat 3` is how the fast-path targets are judged)
#
# Raw results stay in bench/target/results/run-K/, one directory per run. Extra arguments after the mode (and
# --repeat) go to JMH, e.g. `bench/run.sh quick RingBenchmark` runs only the ring benchmarks (the table then
# shows n/a elsewhere). RK_SKIP_LOAD=1 skips the HTTP and gRPC loads (a check of JMH alone).
set -euo pipefail

mode="${1:-}"
# The benchmarks that run the actor bridge or the ring path reach their steady state only after the JIT compiled
# that whole path (several seconds; the plain baselines get there sooner), so quick mode gives them, and their
# baselines, a longer warm-up of their own.
case "$mode" in
  quick) jmh_options=(-f 1 -wi 2 -w 500ms -i 2 -r 1s); long_warmup=(-f 1 -wi 5 -w 1s -i 2 -r 1s); http_seconds=5 ;;
  full) jmh_options=(); long_warmup=(); http_seconds=15 ;;
  *) echo "usage: $0 quick|full [--repeat N] [JMH arguments...]" >&2; exit 2 ;;
esac
shift
repeat=1
if [[ "${1:-}" == "--repeat" ]]; then
  repeat="${2:-}"
  [[ "$repeat" =~ ^[1-9][0-9]*$ ]] || { echo "--repeat takes a positive whole number, got '$repeat'" >&2; exit 2; }
  shift 2
fi
repeat_text=""
if (( repeat > 1 )); then
  repeat_text=" --repeat $repeat"
fi
command_line="bench/run.sh $mode$repeat_text${*:+ $*}"
started=$(date +%s)

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
results=bench/target/results

echo "building (mvn -B -q -Pbench -DskipTests package)" >&2
mvn -B -q -Pbench -DskipTests package
rm -rf "$results"
mkdir -p "$results"

long_warmup_benchmarks='\.(Tell|Ask|Batching|RingBatching|Flow|Cluster|Metrics|ProcessThroughput)Benchmark\.'

# measure DIR [JMH arguments...]: one run of everything, its raw results in DIR
measure() {
  local dir="$1"; shift
  mkdir -p "$dir"
  if (( $# > 0 )); then
    java -jar bench/target/benchmarks.jar "${jmh_options[@]}" -rf json -rff "$dir/jmh.json" "$@" \
      2>&1 | tee "$dir/jmh.log" || echo "JMH failed; the table shows n/a for what it did not measure" >&2
  else
    java -jar bench/target/benchmarks.jar "${jmh_options[@]}" -e "$long_warmup_benchmarks" -rf json \
      -rff "$dir/jmh.json" 2>&1 | tee "$dir/jmh.log" \
      || echo "JMH failed; the table shows n/a for what it did not measure" >&2
    java -jar bench/target/benchmarks.jar ${long_warmup[@]+"${long_warmup[@]}"} "$long_warmup_benchmarks" -rf json \
      -rff "$dir/jmh-bridge.json" 2>&1 | tee -a "$dir/jmh.log" \
      || echo "JMH failed; the table shows n/a for what it did not measure" >&2
  fi
  if [[ "${RK_SKIP_LOAD:-}" == 1 ]]; then
    return
  fi
  bench/http-load.sh --duration "$http_seconds" --out "$dir/http.txt" \
    2>&1 | tee "$dir/http.log" || echo "the HTTP load failed; see $dir/http.log" >&2
  bench/grpc-load.sh --duration "$http_seconds" --out "$dir/grpc.txt" \
    2>&1 | tee "$dir/grpc.log" || echo "the gRPC load failed; see $dir/grpc.log" >&2
}

runs=()
for (( run = 1; run <= repeat; run++ )); do
  echo "run $run of $repeat" >&2
  measure "$results/run-$run" "$@"
  runs+=(--run "$results/run-$run")
done

python3 bench/report.py --mode "$mode" --command "$command_line" --elapsed "$(( $(date +%s) - started ))" \
  "${runs[@]}" --out bench/RESULTS.md
