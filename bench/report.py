#!/usr/bin/env python3
"""Writes bench/RESULTS.md from JMH's JSON results and the key=value results of http-load.sh and grpc-load.sh.

Each row puts one of our measures beside its baseline from the same run, with the ratio ours / baseline, the
target that ratio must meet, and whether it does. The fast-path table comes first (the six targets the layers
above the ring are held to), then every other measure. Given several runs (--run DIR, repeated), each row shows
the median of ours, of the baseline and of the per-run ratios, with the ratios' min–max, and a target counts as
met when the median ratio meets it. Sections of the existing file that start with a "## " heading (measurements
this script does not make, such as sustained-rss.sh's) are kept after the generated part. Standard library only.
"""

import argparse
import datetime
import json
import math
import os
import platform
import statistics
from dataclasses import dataclass
from typing import Optional

PACKAGE = "org.ringkernel.bench."


@dataclass
class Value:
    score: float
    error: float
    unit: str


class Jmh:
    """JMH results by benchmark name (without the package) and params."""

    def __init__(self, paths):
        self.entries = []
        for path in paths:
            if os.path.exists(path) and os.path.getsize(path) > 0:
                with open(path, encoding="utf-8") as f:
                    self.entries.extend(json.load(f))

    def find(self, name, **params):
        for entry in self.entries:
            if entry["benchmark"] == PACKAGE + name and all(
                    entry.get("params", {}).get(k) == v for k, v in params.items()):
                return entry
        return None

    def primary(self, name, **params) -> Optional[Value]:
        entry = self.find(name, **params)
        if entry is None:
            return None
        metric = entry["primaryMetric"]
        return Value(float(metric["score"]), float(metric["scoreError"]), metric["scoreUnit"])

    def secondary(self, name, metric_name, **params) -> Optional[Value]:
        entry = self.find(name, **params)
        if entry is None or metric_name not in entry.get("secondaryMetrics", {}):
            return None
        metric = entry["secondaryMetrics"][metric_name]
        return Value(float(metric["score"]), float(metric["scoreError"]), metric["scoreUnit"])

    def percentile(self, name, percentile, **params) -> Optional[Value]:
        entry = self.find(name, **params)
        if entry is None:
            return None
        metric = entry["primaryMetric"]
        return Value(float(metric["scorePercentiles"][percentile]), float("nan"), metric["scoreUnit"])

    def vm(self):
        if not self.entries:
            return "unknown"
        first = self.entries[0]
        return f"{first.get('vmName', '')} {first.get('vmVersion', '')} (JDK {first.get('jdkVersion', '')})".strip()

    def options(self):
        if not self.entries:
            return "none"
        settings = []
        for entry in self.entries:
            text = (f"{entry['forks']} fork(s), {entry['warmupIterations']} x {entry['warmupTime']} warm-up, "
                    f"{entry['measurementIterations']} x {entry['measurementTime']} measurement")
            name = entry["benchmark"][len(PACKAGE):].split(".")[0]
            for known in settings:
                if known[0] == text:
                    if name not in known[1]:
                        known[1].append(name)
                    break
            else:
                settings.append((text, [name]))
        if len(settings) == 1:
            return settings[0][0]
        return "; ".join(f"{text} ({', '.join(names)})" for text, names in settings)


def read_http(path):
    values = {}
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                key, sep, value = line.strip().partition("=")
                if sep:
                    values[key] = value
    return values


def http_value(http, key, unit) -> Optional[Value]:
    try:
        return Value(float(http[key]), float("nan"), unit)
    except (KeyError, ValueError):
        return None


@dataclass
class Row:
    group: str
    measure: str
    ours: Optional[Value]
    baseline: Optional[Value]
    target: Optional[tuple]  # (">=" or "<=", bound); None when the measure has no target
    note: str = ""


def si(value: float, unit: str) -> str:
    for factor, prefix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= factor:
            return f"{value / factor:.3g} {prefix}{unit}"
    return f"{value:.3g} {unit}"


def show(value: Optional[Value]) -> str:
    if value is None or math.isnan(value.score):
        return "n/a"
    unit = value.unit
    if unit in ("us/op", "us"):
        text = f"{value.score:,.1f} µs" if value.score < 10_000 else f"{value.score / 1000:,.2f} ms"
        error = value.error
        if not math.isnan(error):
            text += f" ± {error:,.1f}"
        return text
    names = {"ops/s": "/s", "msgs/s": "msg/s", "elements/s": "elem/s", "req/s": "req/s", "floats/s": "floats/s",
             "madds/s": "mul-add/s", "rows/s": "rows/s"}
    text = si(value.score, names.get(unit, unit))
    if not math.isnan(value.error) and value.error > 0:
        text += f" ± {si(value.error, '').strip()}"
    return text


def ratio_of(row: Row) -> Optional[float]:
    if row.ours is None or row.baseline is None or row.baseline.score == 0 or math.isnan(row.ours.score) \
            or math.isnan(row.baseline.score):
        return None
    return row.ours.score / row.baseline.score


def times(ratio: float) -> str:
    return f"{ratio:.2f}×" if ratio >= 0.1 else f"{ratio:.2g}×"


@dataclass
class Combined:
    """One row over every run: the medians of ours, of the baseline and of the per-run ratios, the ratios' range."""
    row: Row
    ours: Optional[Value]
    baseline: Optional[Value]
    ratios: list


def median_value(values) -> Optional[Value]:
    present = [v for v in values if v is not None and not math.isnan(v.score)]
    if not present:
        return None
    if len(values) == 1:
        return present[0]
    # Over several runs the spread of the ratio says more than one run's JMH error.
    return Value(statistics.median(v.score for v in present), float("nan"), present[0].unit)


def combine(per_run: list) -> list:
    """Rows of every run, matched by position (each run builds the same rows), into one Combined each."""
    combined = []
    for same in zip(*per_run):
        ratios = [r for r in (ratio_of(row) for row in same) if r is not None]
        combined.append(Combined(same[0], median_value([row.ours for row in same]),
                                 median_value([row.baseline for row in same]), ratios))
    return combined


def verdict(row: Combined, runs: int):
    if not row.ratios:
        return "n/a", "no data"
    ratio = statistics.median(row.ratios)
    text = times(ratio)
    if runs > 1:
        text += f" ({times(min(row.ratios))}–{times(max(row.ratios))}"
        text += ")" if len(row.ratios) == runs else f", {len(row.ratios)} of {runs} runs)"
    if row.row.target is None:
        return text, "—"
    op, bound = row.row.target
    ok = ratio >= bound if op == ">=" else ratio <= bound
    return text, "pass" if ok else "**miss**"


def target_text(row: Row) -> str:
    if row.target is None:
        return "—"
    op, bound = row.target
    shown = f"{bound:.1f}" if round(bound, 1) == bound else f"{bound:.2f}"
    return f"{'≥' if op == '>=' else '≤'} {shown}×"


def with_unit(value: Optional[Value], unit: str) -> Optional[Value]:
    return None if value is None else Value(value.score, value.error, unit)


# Rows of the column ArrowBenchmark measures (its ROWS).
ARROW_ROWS = 10_000_000


def column_rate(value: Optional[Value], rows: int) -> Optional[Value]:
    """A time per column (JMH's average time, in ms) as rows per second; the error scales as the time's does."""
    if value is None or value.score <= 0:
        return None
    if value.unit != "ms/op":
        raise ValueError(f"ArrowBenchmark reports {value.unit}, expected ms/op")
    rate = rows / (value.score / 1000)
    return Value(rate, rate * value.error / value.score if not math.isnan(value.error) else float("nan"), "rows/s")


@dataclass
class Run:
    """One run's results: JMH's, http-load.sh's and grpc-load.sh's."""
    jmh: Jmh
    http: dict
    grpc: dict


def read_run(directory) -> Run:
    """The results run.sh leaves in one run's directory."""
    return Run(Jmh([os.path.join(directory, "jmh.json"), os.path.join(directory, "jmh-bridge.json")]),
               read_http(os.path.join(directory, "http.txt")), read_http(os.path.join(directory, "grpc.txt")))


def fast_path_rows(run: Run) -> list:
    """The six targets of the layers above the ring: streams, asks, tells, the process path and both HTTP bodies."""
    jmh, http = run.jmh, run.http
    return [
        Row("Streams", "KernelFlows.ordered(square, 64) vs ActorFlow.ask(64) to a plain typed actor squaring, 16 "
            "floats per element (elements/s)",
            with_unit(jmh.primary("FlowBenchmark.kernelFlowOrdered"), "elements/s"),
            with_unit(jmh.primary("FlowBenchmark.actorFlowAsk"), "elements/s"), (">=", 3.0)),
        Row("Actors", "KernelRef.process(square), 256 in flight, steady state, 16 floats vs AskPattern.ask to the "
            "plain actor, 256 in flight (requests/s)",
            with_unit(jmh.primary("ProcessThroughputBenchmark.kernelProcess"), "req/s"),
            with_unit(jmh.primary("ProcessThroughputBenchmark.plainAsk"), "req/s"), (">=", 0.8)),
        Row("Actors", "tell throughput, `square` kernel actor vs plain typed actor squaring 16 floats (messages/s)",
            with_unit(jmh.primary("TellBenchmark.bridgeSquare"), "msgs/s"),
            with_unit(jmh.primary("TellBenchmark.plainSquare"), "msgs/s"), (">=", 0.8)),
        Row("CPU kernels", "`square` whole process path (bind + RequestPump.call; at this size the CPU loop reads and "
            "writes the arrays in host memory) on 2^24 floats vs plain loop (floats/s)",
            with_unit(jmh.primary("CpuKernelBenchmark.squareProcess"), "floats/s"),
            with_unit(jmh.primary("CpuKernelBenchmark.squareLoop"), "floats/s"), (">=", 0.4)),
        Row("HTTP", "saturated request rate, POST /api/kernels/square/process with JSON, 16 floats vs GET /health "
            "(requests/s)",
            http_value(http, "process_saturated_rps", "req/s"), http_value(http, "health_saturated_rps", "req/s"),
            (">=", 0.6)),
        Row("HTTP", "saturated request rate, the same route with application/octet-stream in and out, 4,096 floats "
            "vs GET /health (requests/s)",
            http_value(http, "octet_saturated_rps", "req/s"), http_value(http, "health_saturated_rps", "req/s"),
            (">=", 0.5)),
    ]


def rows(run: Run) -> list:
    """Every other measure (those of the fast-path table are not repeated)."""
    jmh, http, grpc = run.jmh, run.http, run.grpc
    ring = lambda group: with_unit(jmh.secondary(f"RingBenchmark.{group}", "polled"), "msgs/s")
    msgs = lambda name, **p: with_unit(jmh.primary(name, **p), "msgs/s")
    p50 = lambda name, **p: jmh.percentile(name, "50.0", **p)
    floats = lambda name: with_unit(jmh.primary(f"CpuKernelBenchmark.{name}"), "floats/s")
    madds = lambda name: with_unit(jmh.primary(f"CpuKernelBenchmark.{name}"), "madds/s")
    arrow_rows = lambda name: column_rate(jmh.primary(f"ArrowBenchmark.{name}"), ARROW_ROWS)
    return [
        Row("Ring", "offer+poll, 1 producer + 1 consumer thread, 16 floats: our RingWriter/RingReader vs "
            "Agrona OneToOneRingBuffer (messages/s)", ring("ringkernel"), ring("agrona"), (">=", 1.0)),
        Row("Ring", "the same vs ArrayBlockingQueue", ring("ringkernel"), ring("arrayBlockingQueue"), (">=", 3.0)),
        Row("Ring", "the same vs JCTools SpscArrayQueue (passes a reference, copies nothing)",
            ring("ringkernel"), ring("jctools"), None),
        Row("Actors", "tell throughput, `echo` kernel actor vs plain typed actor squaring 16 floats (messages/s)",
            msgs("TellBenchmark.bridgeEcho"), msgs("TellBenchmark.plainSquare"), (">=", 0.7)),
        Row("Actors", "tell throughput, `square` kernel actor vs the plain actor inside restart supervision and "
            "timers, the layers a kernel actor runs in", msgs("TellBenchmark.bridgeSquare"),
            msgs("TellBenchmark.plainSquareSupervised"), None),
        Row("Actors", "tell throughput, the plain actor inside restart supervision and timers vs the plain actor",
            msgs("TellBenchmark.plainSquareSupervised"), msgs("TellBenchmark.plainSquare"), None),
        Row("Actors", "tell throughput, `square` kernel actor with metrics recorded vs "
            "`ringkernel.telemetry.enabled = off`",
            msgs("MetricsBenchmark.tellSquare", telemetry="on"), msgs("MetricsBenchmark.tellSquare", telemetry="off"),
            (">=", 0.95)),
        Row("Actors", "ask round trip p50, KernelRef.process(square) vs askWithStatus to the plain actor",
            p50("AskBenchmark.bridgeProcess"), p50("AskBenchmark.plainAsk"), ("<=", 3.0)),
        Row("Batching", "ring throughput with a 3 µs dispatch per kernel dequeue, up to 64 requests per dequeue vs "
            "one (one host thread, 256 in flight, 16 floats)",
            msgs("RingBatchingBenchmark.throughput", batching="batched"),
            msgs("RingBatchingBenchmark.throughput", batching="unbatched"), (">=", 10.0)),
        Row("Batching", "the same through the kernel actor: opportunistic batching, 64 per publish and dequeue, vs "
            "batching off and one per dequeue (512 in flight)",
            msgs("BatchingBenchmark.throughput", batching="batched"),
            msgs("BatchingBenchmark.throughput", batching="unbatched"), None),
        Row("Batching", "lone-request round trip p50, batched vs unbatched",
            p50("BatchingBenchmark.lone", batching="batched"), p50("BatchingBenchmark.lone", batching="unbatched"),
            ("<=", 1.2)),
        Row("Streams", "KernelFlows.ordered(square, 64) vs inline map, 16 floats per element (elements/s)",
            with_unit(jmh.primary("FlowBenchmark.kernelFlowOrdered"), "elements/s"),
            with_unit(jmh.primary("FlowBenchmark.inlineMap"), "elements/s"), None),
        Row("Cluster", "ingress → two gpu nodes vs local: `square`, 16 floats, 256 in flight through "
            "KernelRef.process, from an ingress-only node through the shard region to two gpu nodes vs a local "
            "KernelRef with clustering off (requests/s)",
            with_unit(jmh.primary("ClusterBenchmark.throughput", target="cluster"), "req/s"),
            with_unit(jmh.primary("ClusterBenchmark.throughput", target="local"), "req/s"), (">=", 0.5)),
        Row("Cluster", "lone-request round trip p50, through the cluster vs local",
            p50("ClusterBenchmark.lone", target="cluster"), p50("ClusterBenchmark.lone", target="local"), None),
        Row("CPU kernels", "`square` CPU implementation on 2^24 floats vs plain loop (floats/s)",
            floats("squareKernel"), floats("squareLoop"), (">=", 0.9)),
        Row("CPU kernels", "`saxpy` CPU implementation on 2^24 floats vs plain loop",
            floats("saxpyKernel"), floats("saxpyLoop"), (">=", 0.9)),
        Row("CPU kernels", "`saxpy` whole process path (bind + RequestPump.call; at this size the CPU loop reads and "
            "writes the arrays in host memory) vs plain loop",
            floats("saxpyProcess"), floats("saxpyLoop"), (">=", 0.3)),
        Row("CPU kernels", "`matmul` 512 x 512 CPU implementation vs naive triple loop (multiply-adds/s)",
            madds("matmulKernel"), madds("matmulNaive"), None),
        Row("Data", "`Frame.stats` over a 10^7-row Float4Vector (the `stats` kernel, chunked) vs a plain two-pass "
            "loop in float64 over the same Arrow buffer (rows/s)",
            arrow_rows("kernelStats"), arrow_rows("loopStats"), (">=", 0.5)),
        Row("Data", "`ArrowKernels.apply(square)` over the same column into a new Float4Vector vs a loop writing a "
            "new vector (rows/s)",
            arrow_rows("kernelSquare"), arrow_rows("loopSquare"), (">=", 0.5)),
        Row("HTTP", "p99 at half of /health's saturated rate: POST /api/kernels/square/process vs GET /health",
            http_value(http, "process_half_p99_us", "us"), http_value(http, "health_half_p99_us", "us"),
            ("<=", 1.5)),
        Row("HTTP", "p50 at the same rate, process vs /health",
            http_value(http, "process_half_p50_us", "us"), http_value(http, "health_half_p50_us", "us"), None),
    ] + grpc_rows(grpc)


def grpc_rows(grpc) -> list:
    """The rows of grpc-load.sh: gRPC ModelInfer beside the JSON process route, and streaming beside unary."""
    inflight = grpc.get("grpc_concurrency", "?")
    return [
        Row("gRPC", f"`square`, 16 floats, {inflight} in flight: ModelInfer vs POST /api/kernels/square/process "
            "(requests/s)", http_value(grpc, "grpc_unary_rps", "req/s"), http_value(grpc, "http_process_rps", "req/s"),
            (">=", 1.0)),
        Row("gRPC", "p50 at the same concurrency, ModelInfer vs process",
            http_value(grpc, "grpc_unary_p50_us", "us"), http_value(grpc, "http_process_p50_us", "us"), None),
        Row("gRPC", "p99 at the same concurrency, ModelInfer vs process",
            http_value(grpc, "grpc_unary_p99_us", "us"), http_value(grpc, "http_process_p99_us", "us"), None),
        Row("gRPC", "ModelStreamInfer, one stream, vs ModelInfer (requests/s)",
            http_value(grpc, "grpc_stream_rps", "req/s"), http_value(grpc, "grpc_unary_rps", "req/s"), (">=", 3.0)),
    ]


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def http_notes(http):
    if not http:
        return ["The HTTP load did not run or gave no results."]
    notes = [f"HTTP load: wrk {http.get('wrk_version', '?')}, {http.get('threads', '?')} threads, "
             f"{http.get('connections', '?')} connections, {http.get('duration_s', '?')} s per run; "
             f"paced runs aimed at {http.get('half_rate_rps', '?')} req/s and reached "
             f"{http.get('health_half_rps', '?')} (/health) and {http.get('process_half_rps', '?')} (process) req/s."]
    if "health_warmup_s" in http:
        notes[0] += (f" Warm-up until steady: {http['health_warmup_s']} s (/health), "
                     f"{http.get('process_warmup_s', '?')} s (JSON), {http.get('octet_warmup_s', '?')} s (octet-stream).")
    for endpoint, name in (("health", "/health"), ("process", "process")):
        try:
            reached = float(http[f"{endpoint}_half_rps"]) / float(http["half_rate_rps"])
        except (KeyError, ValueError, ZeroDivisionError):
            continue
        if reached < 0.9:
            notes.append(f"The paced {name} run reached only {reached:.0%} of the aimed rate: the server (or the "
                         "machine) could not keep up, so its latencies include queueing.")
    errors = {k: v for k, v in http.items() if k.endswith("_errors") and v not in ("0", "")}
    if errors:
        notes.append("HTTP errors (connect, read, write, timeout or non-2xx): "
                     + ", ".join(f"{k[:-len('_errors')]} {v}" for k, v in sorted(errors.items())) + ".")
    return notes


def cluster_notes(jmh):
    remote = jmh.percentile("ClusterBenchmark.lone", "50.0", target="cluster")
    local = jmh.percentile("ClusterBenchmark.lone", "50.0", target="local")
    if remote is None or local is None:
        return []
    return [f"Cluster: the remote hop adds {remote.score - local.score:,.1f} µs to the p50 round trip of a lone "
            f"request ({remote.score:,.1f} µs through the ingress node and a gpu node vs {local.score:,.1f} µs "
            "local)."]


def grpc_notes(grpc):
    if not grpc:
        return ["The gRPC load did not run or gave no results."]
    notes = [f"gRPC load: GrpcLoad (one client JVM for both protocols: JDK HttpClient over HTTP/1.1, the "
             f"InferenceClient over h2c), {grpc.get('grpc_concurrency', '?')} requests in flight, "
             f"{grpc.get('grpc_duration_s', '?')} s per run."]
    errors = {k: v for k, v in grpc.items() if k.endswith("_errors") and v not in ("0", "")}
    if errors:
        notes.append("gRPC load errors: " + ", ".join(f"{k[:-len('_errors')]} {v}" for k, v in sorted(errors.items()))
                     + ".")
    return notes


def table_lines(combined: list, runs: int) -> list:
    lines = ["| Area | Measure | Ours | Baseline | Ratio | Target | Result |", "|---|---|---:|---:|---:|---:|---|"]
    for row in combined:
        ratio, result = verdict(row, runs)
        lines.append(f"| {row.row.group} | {row.row.measure} | {show(row.ours)} | {show(row.baseline)} | {ratio} | "
                     f"{target_text(row.row)} | {result} |")
    targeted = [row for row in combined if row.row.target is not None]
    passed = sum(1 for row in targeted if verdict(row, runs)[1] == "pass")
    return lines + ["", f"{passed} of {len(targeted)} targets met.", ""]


def run_notes(run: Run) -> list:
    return cluster_notes(run.jmh) + http_notes(run.http) + grpc_notes(run.grpc)


def render(args, runs: list, raw: str):
    count = len(runs)
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    minutes, seconds = divmod(int(args.elapsed), 60)
    first = runs[0].jmh
    if count == 1:
        how = ("Ratio is ours ÷ baseline, both measured in the same run. ± is JMH's 99.9% error where it has one.")
    else:
        how = (f"Each figure is the median of {count} runs; Ratio is the median of the {count} per-run ratios "
               "(ours ÷ baseline, both measured in the same run), with their min–max in brackets, and a target is "
               "met when the median ratio meets it.")
    lines = [
        "# Benchmark results",
        "",
        f"Generated by `{args.command}` ({args.mode} mode) — do not edit this part by hand (the sections "
        "below it are kept); [README.md](README.md) says what each row measures.",
        "",
        f"- Date: {now.isoformat()}",
        f"- Machine: {os.cpu_count()} cores, {cpu_model()}, {platform.system()} {platform.release()}",
        f"- JVM: {first.vm()}",
        f"- JMH: {first.options()}",
        f"- Runs: {count}",
        f"- Run time of the whole command: {minutes} min {seconds} s",
        "",
        how + " For rates a higher ratio is better and the target is a lower bound; for latencies (µs) lower is "
        "better and the target is an upper bound.",
        "",
        "### Fast path",
        "",
    ]
    lines += table_lines(combine([fast_path_rows(run) for run in runs]), count)
    lines += ["### Every other measure", ""]
    lines += table_lines(combine([rows(run) for run in runs]), count)
    for index, run in enumerate(runs, start=1):
        prefix = f"Run {index}: " if count > 1 else ""
        lines += [f"- {prefix}{note}" for note in run_notes(run)]
    lines += [f"- Raw results: {raw}.", ""]
    return "\n".join(lines)


def kept_sections(path):
    """The "## " sections of the file at path, which the generated part (one "# " heading) never contains."""
    try:
        with open(path, encoding="utf-8") as f:
            existing = f.read()
    except FileNotFoundError:
        return ""
    start = existing.find("\n## ")
    return "" if start < 0 else existing[start:]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--run", action="append", default=[],
                        help="a run's directory holding jmh.json, jmh-bridge.json, http.txt and grpc.txt (repeatable: "
                             "one per run); without it, --jmh, --http and --grpc give a single run")
    parser.add_argument("--jmh", action="append", default=[], help="JMH JSON result file (repeatable)")
    parser.add_argument("--http", help="key=value results of http-load.sh")
    parser.add_argument("--grpc", help="key=value results of grpc-load.sh")
    parser.add_argument("--mode", required=True)
    parser.add_argument("--command", required=True, help="the command line that produced the results")
    parser.add_argument("--elapsed", type=float, default=0, help="seconds the whole command took")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.run:
        runs = [read_run(directory) for directory in args.run]
        raw = ", ".join(f"`{directory}/`" for directory in args.run) + " (JMH JSON and log, HTTP and gRPC key=value and log)"
    else:
        runs = [Run(Jmh(args.jmh), read_http(args.http), read_http(args.grpc))]
        raw = "`bench/target/results/` (JMH JSON and log, HTTP and gRPC key=value and log)"
    text = render(args, runs, raw) + kept_sections(args.out)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
