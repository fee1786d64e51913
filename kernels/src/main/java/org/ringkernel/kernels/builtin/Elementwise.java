package org.ringkernel.kernels.builtin;

import java.nio.FloatBuffer;

/**
 * Element-wise loops over a call's buffers, a stretch at a time: a bulk get of each input into a small array, the
 * arithmetic on arrays, written over the first input's stretch, a bulk put of the result. The JIT vectorises a loop
 * over arrays, where it reads and writes a buffer element by element (with a bounds check each) several times
 * slower; the stretches stay in the first-level cache. An output over an array (a large result the CPU loop writes
 * where the caller gets it) takes the first input's stretch straight into its own elements and the arithmetic runs
 * there: one copy per element instead of two. A request large enough is split across the common pool
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
     * The arithmetic of a two-input kernel, in place: each of {@code count} values of {@code a} from {@code aFrom}
     * by its result with the value of {@code b} at the same distance from {@code bFrom}.
     */
    @FunctionalInterface
    interface Binary {
        void apply(float[] a, int aFrom, float[] b, int bFrom, int count);
    }

    /** {@code y = op(x)} over the whole of {@code x}. */
    static void unary(FloatBuffer x, FloatBuffer y, Unary op) {
        int size = x.limit();
        if (y.hasArray()) {
            float[] out = y.array();
            int base = y.arrayOffset();
            Parallel.forRange(size, size, (from, to) -> {
                for (int start = from; start < to; start += STRETCH) {
                    int count = Math.min(STRETCH, to - start);
                    x.get(start, out, base + start, count);
                    op.apply(out, base + start, base + start + count);
                }
            });
            return;
        }
        Parallel.forRange(size, size, (from, to) -> {
            float[] stretch = new float[Math.min(STRETCH, to - from)];
            for (int start = from; start < to; start += stretch.length) {
                int count = Math.min(stretch.length, to - start);
                x.get(start, stretch, 0, count);
                op.apply(stretch, 0, count);
                y.put(start, stretch, 0, count);
            }
        });
    }

    /** {@code y = op(a, b)} over the whole of {@code a}, which {@code b} matches. */
    static void binary(FloatBuffer a, FloatBuffer b, FloatBuffer y, Binary op) {
        int size = a.limit();
        if (y.hasArray()) {
            float[] out = y.array();
            int base = y.arrayOffset();
            Parallel.forRange(size, 2L * size, (from, to) -> {
                float[] right = new float[Math.min(STRETCH, to - from)];
                for (int start = from; start < to; start += right.length) {
                    int count = Math.min(right.length, to - start);
                    a.get(start, out, base + start, count);
                    b.get(start, right, 0, count);
                    op.apply(out, base + start, right, 0, count);
                }
            });
            return;
        }
        Parallel.forRange(size, 2L * size, (from, to) -> {
            float[] left = new float[Math.min(STRETCH, to - from)];
            float[] right = new float[left.length];
            for (int start = from; start < to; start += left.length) {
                int count = Math.min(left.length, to - start);
                a.get(start, left, 0, count);
                b.get(start, right, 0, count);
                op.apply(left, 0, right, 0, count);
                y.put(start, left, 0, count);
            }
        });
    }
}
