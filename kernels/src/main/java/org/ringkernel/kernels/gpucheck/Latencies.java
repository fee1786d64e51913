package org.ringkernel.kernels.gpucheck;

import java.util.Arrays;

/** Round-trip times of one side, sorted once, read as nearest-rank percentiles in microseconds. */
final class Latencies {
    private final long[] sortedNanos;

    Latencies(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no round trips were measured");
        }
        sortedNanos = nanos.clone();
        Arrays.sort(sortedNanos);
    }

    /** The {@code fraction} percentile, e.g. 0.99 for p99. */
    double micros(double fraction) {
        int rank = (int) Math.ceil(fraction * sortedNanos.length);
        return sortedNanos[Math.max(0, rank - 1)] / 1e3;
    }
}
