package org.ringkernel.actors.stream;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.ringkernel.actors.KernelRef;

/**
 * How a {@link KernelFlows} flow runs: how many of its requests may be in the kernel at once, each element's
 * deadline, an optional rate limit, and what a failed request becomes. Immutable; the {@code with…} methods
 * return changed copies.
 *
 * @param parallelism the most requests of the flow unanswered at once, at least 1; a flow uses at most the
 *     kernel's ring capacity (see {@link #parallelismFor})
 * @param timeout each element's deadline; empty for the configured {@code ringkernel.request-timeout}
 * @param throttle the rate at which the flow takes requests in; empty for no limit
 * @param errors whether a failed request comes out as an element or fails the stream
 */
public record FlowSettings(int parallelism, Optional<Duration> timeout, Optional<Throttle> throttle,
                           ErrorHandling errors) {

    /**
     * @throws IllegalArgumentException when parallelism is below 1 or the timeout is not positive
     */
    public FlowSettings {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        Objects.requireNonNull(timeout, "timeout");
        timeout.ifPresent(deadline -> requirePositive("timeout", deadline));
        Objects.requireNonNull(throttle, "throttle");
        Objects.requireNonNull(errors, "errors");
    }

    /** {@code parallelism} requests at once, the configured timeout, no throttle, errors as elements. */
    public static FlowSettings of(int parallelism) {
        return new FlowSettings(parallelism, Optional.empty(), Optional.empty(), ErrorHandling.ERRORS_AS_ELEMENTS);
    }

    /** At most {@code parallelism} requests of the flow unanswered at once. */
    public FlowSettings withParallelism(int parallelism) {
        return new FlowSettings(parallelism, timeout, throttle, errors);
    }

    /** Each element fails with a timeout when no result arrives within {@code timeout}. */
    public FlowSettings withTimeout(Duration timeout) {
        return new FlowSettings(parallelism, Optional.of(timeout), throttle, errors);
    }

    /** The flow takes at most {@code elements} requests per {@code per}, smoothing bursts. */
    public FlowSettings withThrottle(int elements, Duration per) {
        return new FlowSettings(parallelism, timeout, Optional.of(new Throttle(elements, per)), errors);
    }

    /** Whether a failed request comes out as an element or fails the stream. */
    public FlowSettings withErrors(ErrorHandling errors) {
        return new FlowSettings(parallelism, timeout, throttle, errors);
    }

    /** The parallelism a flow in front of {@code kernel} uses: {@link #parallelism}, at most its ring's capacity. */
    public int parallelismFor(KernelRef kernel) {
        return Math.min(parallelism, kernel.capacity());
    }

    private static void requirePositive(String name, Duration duration) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
    }

    /**
     * A rate limit: at most {@code elements} requests per {@code per}.
     *
     * @param elements how many requests may pass in each period, at least 1
     * @param per the period, positive
     */
    public record Throttle(int elements, Duration per) {

        /**
         * Checks the limit.
         *
         * @throws IllegalArgumentException when elements is below 1 or per is not positive
         */
        public Throttle {
            if (elements < 1) {
                throw new IllegalArgumentException("throttle elements must be at least 1, got " + elements);
            }
            requirePositive("throttle per", per);
        }
    }
}
