package org.ringkernel.actors;

/**
 * How fast one kernel instance drains its requests while it is busy. Each arrival of completions is a sample:
 * the busy time since the previous arrival (or since the kernel became busy) and the completions it brought.
 * Busy time and completions are averaged apart (exponentially weighted moving averages) and the time of one
 * request is their ratio, so that many small arrivals do not outweigh a few large batches. Idle time does not
 * count, so a kernel that is fast but rarely used is not taken for slow. The first {@link #WARM_UP} arrivals
 * of a new instance are not samples: they carry its start (a thread starting, code not compiled yet), and a
 * burst arriving at a new instance (requests sent again after a failover, say) would otherwise be refused as
 * overloaded on a rate ten times too low. Owned by the instance's actor alone.
 */
final class DrainRate {
    /** The weight of the newest sample: about the last ten arrivals of completions shape the estimate. */
    private static final double WEIGHT = 0.2;
    /** Arrivals of completions that do not count, at the start of an instance. */
    static final int WARM_UP = 3;

    private double busyNanos;
    private double completions;
    private boolean measured;
    private int arrivals;
    private long busySince;
    private boolean busy;

    /** The kernel got work at {@code nowNanos} after having none. */
    void busyFrom(long nowNanos) {
        if (!busy) {
            busy = true;
            busySince = nowNanos;
        }
    }

    /** {@code count} requests completed at {@code nowNanos}; {@code idle} when none are left in the kernel. */
    void completed(int count, long nowNanos, boolean idle) {
        if (busy && count > 0 && ++arrivals > WARM_UP) {
            double busyTime = Math.max(0, nowNanos - busySince);
            busyNanos = measured ? WEIGHT * busyTime + (1 - WEIGHT) * busyNanos : busyTime;
            completions = measured ? WEIGHT * count + (1 - WEIGHT) * completions : count;
            measured = true;
        }
        busySince = nowNanos;
        busy = !idle;
    }

    /** The kernel stopped (failed or released): what was in it does not count as drained, and its successor warms up. */
    void stopped() {
        busy = false;
        arrivals = 0;
    }

    /** Whether any completion has been measured yet; without one there is no estimate. */
    boolean measured() {
        return measured;
    }

    /** The expected wait of a request with {@code ahead} requests before it, in nanoseconds; 0 without an estimate. */
    long expectedWaitNanos(int ahead) {
        return measured ? (long) Math.min(Long.MAX_VALUE / 2.0, ahead * busyNanos / completions) : 0;
    }

    /** Completions per second while busy, for messages; 0 without an estimate. */
    double perSecond() {
        return measured && busyNanos > 0 ? 1e9 * completions / busyNanos : 0;
    }
}
