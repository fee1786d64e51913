package org.ringkernel.kernels.builtin;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/** Splits the independent rows (or chunks) of a large request across the common fork-join pool. */
final class Parallel {

    /**
     * Work, in multiply-adds or element visits, below which a request runs on the calling thread: forking and
     * joining costs tens of microseconds, more than a smaller request takes on its own.
     */
    static final long MIN_PARALLEL_WORK = 1L << 21;

    /** Blocks per pool thread, so that a slow thread does not hold up the whole request. */
    private static final int BLOCKS_PER_THREAD = 4;

    private Parallel() {
    }

    /** A body that handles items {@code [from, to)}; blocks never overlap, so bodies share no output. */
    @FunctionalInterface
    interface RangeBody {
        void run(int from, int to);
    }

    /** Runs {@code body} over {@code [0, count)}, split into blocks when {@code work} is large enough. */
    static void forRange(int count, long work, RangeBody body) {
        if (work < MIN_PARALLEL_WORK || count < 2) {
            body.run(0, count);
            return;
        }
        int blocks = Math.min(count, ForkJoinPool.getCommonPoolParallelism() * BLOCKS_PER_THREAD);
        IntStream.range(0, blocks).parallel().forEach(block -> body.run(
                (int) ((long) count * block / blocks), (int) ((long) count * (block + 1) / blocks)));
    }
}
