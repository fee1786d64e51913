package org.ringkernel.bridge.runtime;

import java.time.Duration;
import java.util.Optional;
import org.ringkernel.bridge.kernel.RequestCost;

/**
 * What one block of a GPU ring kernel is assumed to manage, and how long a request may hold it. A request's
 * {@link RequestCost} becomes a time on one block ({@link #estimateNanos}); above {@code budget} the request
 * takes the kernel's launch path, and one whose time reaches {@code limit} never runs on the ring at all.
 *
 * @param blockFlopsPerSecond floating-point operations one block of a ring kernel does per second
 * @param blockBytesPerSecond bytes one block reads or writes per second in the mapped host memory where the
 *     arena lies
 * @param budget the longest a request is expected to hold a ring block; longer ones take the launch path
 *     where the kernel has one
 * @param limit the time at which a request held by a ring block would be taken for a hung kernel (the
 *     watchdog timeout of the actor bridge), or empty where nothing watches the kernel
 */
public record RingPathSettings(double blockFlopsPerSecond, double blockBytesPerSecond, Duration budget,
                               Optional<Duration> limit) {

    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException when a rate is not positive and finite, the budget is negative, or the
     *     limit does not exceed the budget
     */
    public RingPathSettings {
        if (!(blockFlopsPerSecond > 0) || !(blockBytesPerSecond > 0) || Double.isInfinite(blockFlopsPerSecond)
                || Double.isInfinite(blockBytesPerSecond)) {
            throw new IllegalArgumentException("a ring block's rates are positive and finite, got "
                    + blockFlopsPerSecond + " flops/s and " + blockBytesPerSecond + " bytes/s");
        }
        if (budget.isNegative()) {
            throw new IllegalArgumentException("the ring budget must not be negative, was " + budget);
        }
        if (limit.isPresent() && limit.get().compareTo(budget) <= 0) {
            throw new IllegalArgumentException("the ring limit " + limit.get() + " must exceed the budget " + budget);
        }
    }

    /** These settings with {@code watchdog} as the limit: the actor bridge takes a longer silence for a hang. */
    public RingPathSettings withLimit(Duration watchdog) {
        return new RingPathSettings(blockFlopsPerSecond, blockBytesPerSecond, budget, Optional.of(watchdog));
    }

    /**
     * Nanoseconds one block takes over a request of this cost. Computing and waiting on memory are added, not
     * overlapped: one block has too few warps in flight to hide the latency of reads over PCIe.
     */
    public double estimateNanos(RequestCost cost) {
        return 1e9 * (cost.flops() / blockFlopsPerSecond + cost.bytes() / blockBytesPerSecond);
    }
}
