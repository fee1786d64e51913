package org.ringkernel.kernels.builtin;

import java.nio.FloatBuffer;

/**
 * Element-wise loops over a call's buffers, a stretch at a time: a bulk get of each input into a small array, the
 * arithmetic on arrays, written over the first input's stretch, a bulk put of the result. The JIT vectorises a loop
 * over arrays, where it reads and writes a buffer element by element (with a bounds check each) several times
 * slower; the stretches stay in the first-level cache. For a one-input kernel, an output over an array (a large result
 * the CPU loop writes where the caller gets it) takes the input's stretch straight into its own elements and the
 * arithmetic runs there: one copy per element instead of two. A request large enough is split across the common pool
 * ({@link Parallel}), each block with its own stretches.
 */
final class Elementwise {
    /** Floats per stretch: 4 KiB an array. */
    private static final int STRETCH = 1024;

    private Elementwise() {
    }

    /** The arithmetic of a one-input kernel, in place: each of {@code values} from {@code from} to {@code to}. */
    @FunctionalInterface
    interface Unary {
        void apply(float[] values, int from, int to);
    }

    /**
     * The arithmetic of a two-input kernel, in place: each of the first {@code count} values of {@code a} by its
     * result with the value of {@code b} at the same index. One index for both arrays: the JIT vectorises no loop
     * that reads two arrays from different offsets, as it cannot rule out that they overlap.
     */
    @FunctionalInterface
    interface Binary {
        void apply(float[] a, float[] b, int count);
    }

    /** {@code y = op(x)} over the whole of {@code x}. */
    static void unary(FloatBuffer x, FloatBuffer y, Unary op) {
        int size = x.limit();
        Parallel.forRange(size, size, (from, to) -> {
            Results results = new Results(y, to - from);
            for (int start = from; start < to; start += STRETCH) {
                int count = Math.min(STRETCH, to - start);
                int at = results.at(start);
                x.get(start, results.values, at, count);
                op.apply(results.values, at, at + count);
                results.written(start, count);
            }
        });
    }

    /**
     * {@code y = op(a, b)} over the whole of {@code a}, which {@code b} matches. Both inputs go through stretches of
     * their own, even where the output is an array: computing in the output's elements would read {@code b} from
     * another offset, and that loop ran unvectorised.
     */
    static void binary(FloatBuffer a, FloatBuffer b, FloatBuffer y, Binary op) {
        int size = a.limit();
        Parallel.forRange(size, 2L * size, (from, to) -> {
            float[] left = new float[Math.min(STRETCH, to - from)];
            float[] right = new float[left.length];
            for (int start = from; start < to; start += left.length) {
                int count = Math.min(left.length, to - start);
                a.get(start, left, 0, count);
                b.get(start, right, 0, count);
                op.apply(left, right, count);
                y.put(start, left, 0, count);
            }
        });
    }

    /**
     * Where one block computes its results: in the output's own elements where the output is an array, else in a
     * stretch that is put into the output after each step.
     */
    private static final class Results {
        final float[] values;
        private final FloatBuffer output;
        private final boolean inPlace;
        private final int base;

        Results(FloatBuffer output, int blockSize) {
            this.output = output;
            this.inPlace = output.hasArray();
            this.values = inPlace ? output.array() : new float[Math.min(STRETCH, blockSize)];
            this.base = inPlace ? output.arrayOffset() : 0;
        }

        /** Where in {@link #values} the result of output element {@code start} goes. */
        int at(int start) {
            return inPlace ? base + start : 0;
        }

        /** Hands the {@code count} results from {@link #at at(start)} to the output. */
        void written(int start, int count) {
            if (!inPlace) {
                output.put(start, values, 0, count);
            }
        }
    }
}
