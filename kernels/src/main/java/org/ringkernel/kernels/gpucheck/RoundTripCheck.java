package org.ringkernel.kernels.gpucheck;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeoutException;
import jcuda.driver.CUfunction;
import jcuda.driver.JCudaDriver;
import org.ringkernel.bridge.runtime.Backend;
import org.ringkernel.bridge.runtime.Completion;
import org.ringkernel.bridge.runtime.CompletionHandler;
import org.ringkernel.bridge.runtime.ExecutionPath;
import org.ringkernel.bridge.runtime.HostChannel;
import org.ringkernel.bridge.runtime.InstanceSettings;
import org.ringkernel.bridge.runtime.KernelInstance;
import org.ringkernel.bridge.runtime.RequestPump;

/**
 * The persistent round trip: one {@code echo} request of 16 floats at a time through a persistent ring kernel,
 * against the least a launch per request pays before any work, {@code cuLaunchKernel} of the empty
 * {@code rk_noop} (1 block, 1 thread) and {@code cuStreamSynchronize}. Both sides run the same number of
 * round trips after the same warm-up.
 *
 * <p>Ours is timed twice over the same instance. Once with the host spinning on the K2H ring from staging to
 * the completion, as a latency-bound caller would, and as {@code cuStreamSynchronize} itself spins under the
 * primary context's default scheduling. Once through {@link RequestPump#call}, which parks between polls: on
 * Linux a park rounds up to the thread's timer slack (about 50 µs), so that row shows what a caller that does
 * not spin sees.
 */
final class RoundTripCheck {
    private static final String MEASURE = "persistent round trip";
    private static final int FLOATS = 16;
    private static final int WARM_UP = 10_000;
    private static final int ROUND_TRIPS = 20_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String BASELINE = "`cuLaunchKernel(rk_noop)` 1×1 + `cuStreamSynchronize`";

    private RoundTripCheck() {
    }

    static List<Row> run(Backend backend, InstanceSettings settings, RawDriver driver, Random random) {
        // Each way of calling gets requests of its own, so no output can be left over from the other's run.
        EchoRequests spun = EchoRequests.random(random, WARM_UP + ROUND_TRIPS, FLOATS);
        EchoRequests pumped = EchoRequests.random(random, WARM_UP + ROUND_TRIPS, FLOATS);
        Latencies spinning;
        Latencies pumping;
        try (BackendRuns.Launched launched = BackendRuns.active(backend, EchoRequests.kernel(), settings,
                BackendRuns.PERSISTENT)) {
            KernelInstance instance = launched.instance();
            spinning = spinning(instance, spun);
            pumping = pumping(instance, pumped);
        }
        Latencies launches = launches(driver);
        String counts = String.format(Locale.ROOT, "%,d round trips each after %,d warm-up", ROUND_TRIPS, WARM_UP);
        return List.of(
                row("p50, host spinning on the ring", spinning, launches, 0.50, counts),
                row("p99, host spinning on the ring", spinning, launches, 0.99, counts),
                row("p50, through `RequestPump.call`", pumping, launches, 0.50,
                        "the pump parks between polls (Linux timer slack, about 50 µs)"),
                row("p99, through `RequestPump.call`", pumping, launches, 0.99, counts));
    }

    private static Row row(String what, Latencies ours, Latencies baseline, double fraction, String note) {
        return new Row(MEASURE + " " + what + ": `echo` of 16 floats vs " + BASELINE, Unit.MICROSECONDS,
                ours.micros(fraction), baseline.micros(fraction), note);
    }

    /** Stages one request, publishes it, and spins on the K2H ring until its completion is read. */
    private static Latencies spinning(KernelInstance instance, EchoRequests requests) {
        HostChannel channel = instance.channel();
        LastCompletion last = new LastCompletion();
        long[] nanos = new long[ROUND_TRIPS];
        for (int i = 0; i < requests.size(); i++) {
            long start = System.nanoTime();
            if (!channel.stage(i, requests.get(i))) {
                throw new CheckFailure(MEASURE + ": the ring refused request " + i + " with nothing in flight");
            }
            channel.publish();
            long deadline = start + TIMEOUT.toNanos();
            while (channel.poll(last, 1) == 0) {
                if (System.nanoTime() - deadline > 0) {
                    throw new CheckFailure(MEASURE + ": request " + i + " got no completion within "
                            + TIMEOUT.toMillis() + " ms; " + instance.status());
                }
                Thread.onSpinWait();
            }
            long elapsed = System.nanoTime() - start;
            check(instance, requests, i, last.completion);
            if (i >= WARM_UP) {
                nanos[i - WARM_UP] = elapsed;
            }
        }
        return new Latencies(nanos);
    }

    private static Latencies pumping(KernelInstance instance, EchoRequests requests) {
        long[] nanos = new long[ROUND_TRIPS];
        for (int i = 0; i < requests.size(); i++) {
            long start = System.nanoTime();
            Completion completion;
            try {
                completion = RequestPump.call(instance, requests.get(i), TIMEOUT);
            } catch (TimeoutException e) {
                throw new CheckFailure(MEASURE + " through RequestPump.call: " + e.getMessage());
            }
            long elapsed = System.nanoTime() - start;
            check(instance, requests, i, completion);
            if (i >= WARM_UP) {
                nanos[i - WARM_UP] = elapsed;
            }
        }
        return new Latencies(nanos);
    }

    private static void check(KernelInstance instance, EchoRequests requests, int index, Completion completion) {
        BackendRuns.require(MEASURE, instance, completion, ExecutionPath.RING);
        requests.require(MEASURE, index, completion.outputs().get(0));
    }

    /** The baseline: an empty launch and a synchronize, timed together. */
    private static Latencies launches(RawDriver driver) {
        driver.enter();
        CUfunction noop = driver.function("rk_noop");
        long[] nanos = new long[ROUND_TRIPS];
        for (int i = 0; i < WARM_UP + ROUND_TRIPS; i++) {
            long start = System.nanoTime();
            RawDriver.check(JCudaDriver.cuLaunchKernel(noop, 1, 1, 1, 1, 1, 1, 0, driver.stream(), null, null),
                    "cuLaunchKernel(rk_noop)");
            driver.synchronize("rk_noop");
            long elapsed = System.nanoTime() - start;
            if (i >= WARM_UP) {
                nanos[i - WARM_UP] = elapsed;
            }
        }
        return new Latencies(nanos);
    }

    /** Keeps the one completion a poll hands over. */
    private static final class LastCompletion implements CompletionHandler {
        private Completion completion;

        @Override
        public void onCompletion(Completion completion) {
            this.completion = completion;
        }
    }
}
