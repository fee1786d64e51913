package org.ringkernel.actors;

/**
 * How fast one kernel instance drains its requests while it is busy, as an exponentially weighted moving
 * average of the time one request takes: each arrival of completions is a sample, the busy time since the
 * previous sample (or since the kernel became busy) over the completions it brought. Idle time does not
 * count, so a kernel that is fast but rarely used is not taken for slow. Owned by the instance's actor alone.
 */
final class DrainRate {
    /** The weight of the newest sample: about the last ten arrivals of completions shape the estimate. */
    private static final double WEIGHT = 0.2;

    private double nanosPerRequest;
    private boolean measured;
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
        if (busy && count > 0) {
            double sample = (double) Math.max(0, nowNanos - busySince) / count;
            nanosPerRequest = measured ? WEIGHT * sample + (1 - WEIGHT) * nanosPerRequest : sample;
            measured = true;
        }
        busySince = nowNanos;
        busy = !idle;
    }

    /** The kernel stopped (failed or released): what was in it does not count as drained. */
    void stopped() {
        busy = false;
    }

    /** Whether any completion has been measured yet; without one there is no estimate. */
    boolean measured() {
        return measured;
    }

    /** The expected wait of a request with {@code ahead} requests before it, in nanoseconds; 0 without an estimate. */
    long expectedWaitNanos(int ahead) {
        return measured ? (long) Math.min(Long.MAX_VALUE / 2.0, ahead * nanosPerRequest) : 0;
    }

    /** Completions per second while busy, for messages; 0 without an estimate. */
    double perSecond() {
        return measured && nanosPerRequest > 0 ? 1e9 / nanosPerRequest : 0;
    }
}
