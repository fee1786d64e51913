package org.ringkernel.bridge.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.ringkernel.bridge.kernel.BoundRequest;

/**
 * Drives requests through one kernel instance from a single thread that is both the producer and the
 * consumer of its channel: stages as many as fit, publishes them with one release, reads completions, and
 * repeats until every request has its completion. For programs and tests that want answers without an actor
 * system; the actor bridge runs the two sides on separate threads instead.
 */
public final class RequestPump {
    /**
     * How the driving thread waits for completions: it spins, then yields, and parks only after that. A park
     * costs the timer slack of the platform (about 50 µs on Linux) however short it is asked to be, which
     * would dominate every round trip; yielding leaves the core to the kernel's loop where cores are few. Yet
     * after half a millisecond without a completion it parks all the same: a waiter that keeps yielding while a
     * long request runs still takes its share of a core from the kernel's threads (on two cores, yielding
     * through a 2^24-element {@code square} took a fifth of the machine's CPU time). That is far longer than a
     * round trip or the gap between completions of a busy ring.
     */
    private static final InstanceSettings.IdleSettings WAITING = new InstanceSettings.IdleSettings(2_000, 10_000,
            Duration.ofNanos(100_000), Duration.ofNanos(500_000));

    private RequestPump() {
    }

    /**
     * Runs one request and returns its completion.
     *
     * @throws org.ringkernel.bridge.kernel.InvalidKernelInputException when the request was bound for staging
     *     ({@code KernelDefinition.bindForStaging}) and an input holds a value its kernel does not accept
     */
    public static Completion call(KernelInstance instance, BoundRequest request, Duration timeout)
            throws TimeoutException {
        return run(instance, List.of(request), timeout, false).get(0);
    }

    /**
     * Runs one request and returns its completion with the outputs read in place: where it completed, its
     * {@link Completion#inPlace()} holds them and its {@link Completion#outputs()} is empty. The caller must close
     * the {@link ArenaOutputs} (try-with-resources), whose javadoc states how long they stay valid.
     */
    public static Completion callInPlace(KernelInstance instance, BoundRequest request, Duration timeout)
            throws TimeoutException {
        return run(instance, List.of(request), timeout, true).get(0);
    }

    /**
     * Runs {@code requests} (ids are their indices) and returns their completions in request order.
     *
     * @throws TimeoutException when not all completions arrived in time; the message says how many did and
     *     what state the kernel reports
     * @throws IllegalStateException when the kernel stopped; requests it never completed come back with
     *     {@link CompletionStatus#KERNEL_FAILED} or {@link CompletionStatus#TERMINATED} instead
     */
    public static List<Completion> run(KernelInstance instance, List<BoundRequest> requests, Duration timeout)
            throws TimeoutException {
        return run(instance, requests, timeout, false);
    }

    private static List<Completion> run(KernelInstance instance, List<BoundRequest> requests, Duration timeout,
                                        boolean inPlace) throws TimeoutException {
        HostChannel channel = instance.channel();
        Completion[] results = new Completion[requests.size()];
        CompletionHandler collect = completion -> results[(int) completion.requestId()] = completion;
        long deadline = System.nanoTime() + timeout.toNanos();
        int next = 0;
        int received = 0;
        BackoffIdle idle = new BackoffIdle(WAITING);
        while (received < requests.size()) {
            while (next < requests.size() && channel.stage(next, requests.get(next), inPlace)) {
                next++;
            }
            channel.publish();
            int polled = channel.poll(collect, Integer.MAX_VALUE);
            received += polled;
            if (polled > 0) {
                idle.reset();
                continue;
            }
            KernelState state = instance.state();
            if (state.isFinal()) {
                CompletionStatus status = state == KernelState.FAILED ? CompletionStatus.KERNEL_FAILED
                        : CompletionStatus.TERMINATED;
                received += channel.failInFlight(status, collect);
                if (received < next || next < requests.size()) {
                    throw new IllegalStateException(instance + " stopped before taking every request");
                }
                break;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException(instance + ": " + received + " of " + requests.size()
                        + " completions arrived within " + timeout.toMillis() + " ms");
            }
            idle.idle();
        }
        return new ArrayList<>(Arrays.asList(results));
    }
}
