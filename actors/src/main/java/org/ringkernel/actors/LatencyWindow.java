package org.ringkernel.actors;

import java.util.Arrays;

/**
 * The total times of an instance's last {@link #SIZE} successful requests, kept in a ring of primitive longs so
 * that recording costs a store; percentiles are read by sorting a copy when the actor reports (a few times a
 * second), never on the request path. Only the owning actor touches it.
 */
final class LatencyWindow {
    static final int SIZE = 1024;

    private final long[] nanos = new long[SIZE];
    private long recorded;

    void record(long totalNanos) {
        nanos[(int) (recorded++ & (SIZE - 1))] = totalNanos;
    }

    InstanceStatus.Latency summary() {
        int samples = (int) Math.min(recorded, SIZE);
        if (samples == 0) {
            return InstanceStatus.Latency.NONE;
        }
        long[] sorted = Arrays.copyOf(nanos, samples);
        Arrays.sort(sorted);
        return new InstanceStatus.Latency(samples, sorted[rank(samples, 50)], sorted[rank(samples, 99)]);
    }

    /** The nearest-rank index of the {@code percent}th percentile among {@code samples} sorted values. */
    private static int rank(int samples, int percent) {
        return Math.max(0, (int) Math.ceil(samples * percent / 100.0) - 1);
    }
}
