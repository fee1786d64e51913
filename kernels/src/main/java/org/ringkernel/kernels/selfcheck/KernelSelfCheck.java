package org.ringkernel.kernels.selfcheck;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.ringkernel.bridge.Backends;
import org.ringkernel.bridge.kernel.BoundRequest;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.runtime.Backend;
import org.ringkernel.bridge.runtime.BackendKind;
import org.ringkernel.bridge.runtime.BackendUnavailableException;
import org.ringkernel.bridge.runtime.BridgeSettings;
import org.ringkernel.bridge.runtime.Completion;
import org.ringkernel.bridge.runtime.InstanceSettings;
import org.ringkernel.bridge.runtime.OutputCheck;
import org.ringkernel.bridge.runtime.KernelInstance;
import org.ringkernel.bridge.runtime.RequestPump;
import org.ringkernel.kernels.builtin.BuiltinKernels;
import org.ringkernel.kernels.reference.Float64Reference;
import org.ringkernel.kernels.reference.ReferenceCase;
import org.ringkernel.kernels.reference.ReferenceCases;

/**
 * Launches every built-in kernel on the configured backend, runs it on random inputs, checks each output
 * against the float64 reference, prints a table, then measures the ring's requests per second. Exits 0
 * when every kernel passed, 1 when one did not, 2 when the backend or configuration is unusable.
 *
 * <p>Usage: {@code java -jar kernels/target/ringkernel-selfcheck.jar [--backend auto|cpu|cuda] [--seed N]}
 */
public final class KernelSelfCheck {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RING_MEASURE = Duration.ofSeconds(2);
    private static final int RING_MESSAGE_FLOATS = 16;

    private final PrintStream out;

    private KernelSelfCheck(PrintStream out) {
        this.out = out;
    }

    /** Runs the self-check; the class comment gives the options and exit status. */
    public static void main(String[] args) {
        System.exit(new KernelSelfCheck(System.out).run(args));
    }

    private int run(String[] args) {
        BridgeSettings settings;
        long seed;
        try {
            settings = BridgeSettings.load();
            seed = 42;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--backend" -> settings = settings.withBackend(BackendKind.parse(value(args, ++i)));
                    case "--seed" -> seed = Long.parseLong(value(args, ++i));
                    default -> throw new IllegalArgumentException("unknown option '" + args[i]
                            + "'; options: --backend auto|cpu|cuda, --seed N");
                }
            }
        } catch (IllegalArgumentException e) {
            // Settings and options both name what was wrong.
            out.println("error: " + e.getMessage());
            return 2;
        }
        InstanceSettings base = settings.instance();
        // Every element poisoned and checked: a self-check wants any unwritten element named.
        InstanceSettings checked = new InstanceSettings(base.capacity(), base.arenaBytes(), base.maxBatchSize(), true,
                base.idle()).withOutputCheck(OutputCheck.FULL);
        try (Backend backend = Backends.open(settings, BuiltinKernels.all())) {
            out.println("backend: " + backend.description());
            List<Row> rows = new ArrayList<>();
            for (KernelDefinition kernel : BuiltinKernels.all()) {
                rows.add(check(backend, kernel, checked, new Random(seed)));
            }
            printTable(rows);
            reportRing(backend, checked);
            return rows.stream().allMatch(Row::ok) ? 0 : 1;
        } catch (BackendUnavailableException e) {
            out.println("error: " + e.getMessage());
            return 2;
        }
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException("option '" + args[index - 1] + "' needs a value");
        }
        return args[index];
    }

    /** One kernel's outcome over its cases. */
    private record Row(String kernel, int cases, int passed, double worstError, double tolerance, double meanMicros,
                       String note) {
        boolean ok() {
            return cases > 0 && passed == cases;
        }
    }

    private Row check(Backend backend, KernelDefinition kernel, InstanceSettings settings, Random random) {
        List<ReferenceCase> cases = ReferenceCases.all().stream().filter(c -> c.kernelId().equals(kernel.id())).toList();
        int passed = 0;
        double worst = 0;
        double tolerance = 0;
        long nanos = 0;
        String note = "";
        try (KernelInstance instance = backend.launch(kernel, settings)) {
            instance.activate();
            for (ReferenceCase c : cases) {
                KernelRequest request = c.request(random);
                BoundRequest bound = kernel.bind(request);
                Completion completion = RequestPump.call(instance, bound, CALL_TIMEOUT);
                nanos += completion.hostNanos();
                tolerance = Math.max(tolerance, c.tolerance());
                if (!completion.ok()) {
                    note = c + ": " + completion.failure();
                    continue;
                }
                double[] expected = Float64Reference.compute(kernel.id(), request.inputs(), bound.params());
                double error = ReferenceCase.maxRelativeError(expected, completion.outputs().get(0));
                worst = Math.max(worst, error);
                if (error <= c.tolerance()) {
                    passed++;
                } else if (note.isEmpty()) {
                    note = c + ": error " + format(error);
                }
            }
        } catch (Exception e) {
            note = e.toString();
        }
        return new Row(kernel.id(), cases.size(), passed, worst, tolerance, cases.isEmpty() ? 0 : nanos / 1e3 / cases.size(),
                note);
    }

    private void printTable(List<Row> rows) {
        String format = "%-11s %6s %14s %10s %15s  %s%n";
        out.printf(Locale.ROOT, format, "kernel", "cases", "max rel error", "tolerance", "mean call (us, cold)", "result");
        for (Row row : rows) {
            String result = row.ok() ? "PASS" : "FAIL " + row.passed() + "/" + row.cases() + " " + row.note();
            out.printf(Locale.ROOT, format, row.kernel(), row.cases(), format(row.worstError()), format(row.tolerance()),
                    String.format(Locale.ROOT, "%.1f", row.meanMicros()), result);
        }
        long failed = rows.stream().filter(row -> !row.ok()).count();
        out.println(failed == 0 ? "all " + rows.size() + " kernels match the float64 reference"
                : failed + " of " + rows.size() + " kernels do not match the float64 reference");
    }

    private void reportRing(Backend backend, InstanceSettings settings) {
        try {
            RingThroughput.Result result = RingThroughput.measure(backend, BuiltinKernels.get("echo"), settings,
                    RING_MESSAGE_FLOATS, RING_MEASURE);
            out.printf(Locale.ROOT, "ring: %,.0f requests/s end to end (echo, %d floats each, one host thread, %.1f s after warm-up, mean batch %.1f)%n",
                    result.perSecond(), RING_MESSAGE_FLOATS, result.seconds(), result.meanBatch());
        } catch (Exception e) {
            out.println("ring: measurement failed: " + e);
        }
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.2e", value);
    }
}
