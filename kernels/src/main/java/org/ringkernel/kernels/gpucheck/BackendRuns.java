package org.ringkernel.kernels.gpucheck;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.ringkernel.bridge.kernel.BoundRequest;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.runtime.Backend;
import org.ringkernel.bridge.runtime.Completion;
import org.ringkernel.bridge.runtime.ExecutionPath;
import org.ringkernel.bridge.runtime.InstanceSettings;
import org.ringkernel.bridge.runtime.KernelInstance;
import org.ringkernel.bridge.runtime.KernelState;
import org.ringkernel.bridge.runtime.KernelStatus;
import org.ringkernel.bridge.runtime.RequestPump;
import org.ringkernel.bridge.runtime.Termination;

/**
 * How the measures drive the backend: instances launched and confirmed active in the mode the measure is
 * about, and requests run with {@link RequestPump}, every completion required to be OK and computed on the
 * path the measure is about. A persistent kernel measured by mistake on CPU threads, or requests that took
 * the launch path beside it, would make the numbers mean something else.
 */
final class BackendRuns {
    /** Persistent ring kernels, as the backend reports them. */
    static final String PERSISTENT = "persistent";
    /** Launch-path instances, one ordinary launch per request. */
    static final String LAUNCH = "launch";

    private static final Duration ACTIVATION_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private BackendRuns() {
    }

    /** The instance settings {@code base} with an arena of {@code arenaBytes}. */
    static InstanceSettings withArena(InstanceSettings base, int arenaBytes) {
        return new InstanceSettings(base.capacity(), arenaBytes, base.maxBatchSize(), base.poisonOutputs(),
                base.idle()).withOutputCheck(base.outputCheck());
    }

    /**
     * Launches and activates one instance of {@code kernel}.
     *
     * @throws CheckFailure when it does not become active, or runs in another mode than {@code mode}
     */
    static Launched active(Backend backend, KernelDefinition kernel, InstanceSettings settings, String mode) {
        Launched launched = new Launched(backend.launch(kernel, settings));
        KernelInstance instance = launched.instance();
        instance.activate();
        KernelState state = instance.awaitState(s -> s == KernelState.ACTIVE, ACTIVATION_TIMEOUT);
        KernelStatus status = instance.status();
        if (state != KernelState.ACTIVE || !status.mode().equals(mode)) {
            launched.close();
            throw new CheckFailure("kernel '" + kernel.id() + "' should run " + mode + " and be active, but it runs "
                    + status.mode() + " and reports " + state + status.failure().map(f -> ": " + f).orElse(""));
        }
        return launched;
    }

    /**
     * Runs {@code requests} through {@code instance}, timing the run alone (not the checks after it).
     *
     * @throws CheckFailure when they do not all complete within {@code timeout}, or one is not OK or was
     *     computed on another path than {@code path}
     */
    static Run run(String measure, KernelInstance instance, List<BoundRequest> requests, ExecutionPath path,
                   Duration timeout) {
        List<Completion> completions;
        long start = System.nanoTime();
        try {
            completions = RequestPump.run(instance, requests, timeout);
        } catch (TimeoutException e) {
            throw new CheckFailure(measure + ": " + e.getMessage());
        } catch (IllegalStateException e) {
            throw new CheckFailure(measure + ": " + e.getMessage() + "; " + instance.status());
        }
        long nanos = System.nanoTime() - start;
        completions.forEach(completion -> require(measure, instance, completion, path));
        return new Run(completions, nanos);
    }

    /** Fails unless {@code completion} carries outputs computed on {@code path}. */
    static void require(String measure, KernelInstance instance, Completion completion, ExecutionPath path) {
        if (!completion.ok()) {
            throw new CheckFailure(measure + ": request " + completion.requestId() + " ended "
                    + completion.status() + " (" + completion.failure() + "); " + instance.status());
        }
        if (completion.path() != path) {
            throw new CheckFailure(measure + ": request " + completion.requestId() + " ran on the "
                    + completion.path().reportName() + " path, not the " + path.reportName() + " path it measures"
                    + (path == ExecutionPath.RING ? " (requests estimated over ringkernel.kernel.ring-path.budget"
                    + " go there)" : ""));
        }
    }

    /**
     * The completions of one run, in request order, and how long the run took.
     *
     * @param completions one per request, each OK and computed on the path asked for
     * @param nanos from the first request staged to the last completion read
     */
    record Run(List<Completion> completions, long nanos) {
    }

    /**
     * Echoes {@code requests} through a persistent instance on the ring: the first {@code warmUp} untimed, the
     * rest timed; every echo is checked against its input.
     *
     * @return the timed run, and the mean batch the kernel took over the whole instance's life
     */
    static EchoRun echoOnRing(String measure, Backend backend, InstanceSettings settings, EchoRequests requests,
                              int warmUp, Duration timeout) {
        try (Launched launched = active(backend, EchoRequests.kernel(), settings, PERSISTENT)) {
            KernelInstance instance = launched.instance();
            requests.requireAll(measure, run(measure, instance, requests.range(0, warmUp), ExecutionPath.RING,
                    timeout).completions(), 0);
            Run timed = run(measure, instance, requests.range(warmUp, requests.size()), ExecutionPath.RING, timeout);
            requests.requireAll(measure, timed.completions(), warmUp);
            return new EchoRun(timed, instance.counters().meanBatchSize());
        }
    }

    /**
     * @param run the timed part
     * @param meanBatch requests per kernel batch, on average
     */
    record EchoRun(Run run, double meanBatch) {
    }

    /**
     * An instance launched for one measure. Closing it terminates it and fails when it does not stop: a
     * persistent kernel left running holds the device, and the baselines' next {@code cuMemFree}, which
     * waits for the device, would wait for ever.
     */
    record Launched(KernelInstance instance) implements AutoCloseable {
        @Override
        public void close() {
            Termination termination = instance.terminate(STOP_TIMEOUT);
            if (!termination.stopped()) {
                throw new CheckFailure(termination.message());
            }
        }
    }
}
