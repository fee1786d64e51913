package org.ringkernel.kernels.builtin;

import java.nio.FloatBuffer;

/**
 * Element-wise loops over arena views in cache-sized chunks: each chunk is bulk-copied into small arrays,
 * computed there (a plain array loop the JIT vectorises, where element-by-element view access does not),
 * and bulk-copied out.
 */
final class Elementwise {
    private static final int CHUNK = 2048;

    /** Computes {@code out[i] = f(x[i])} for a chunk of {@code n} elements. */
    @FunctionalInterface
    interface Unary {
        void apply(float[] x, float[] out, int n);
    }

    /** Computes {@code out[i] = f(a[i], b[i])} for a chunk of {@code n} elements. */
    @FunctionalInterface
    interface Binary {
        void apply(float[] a, float[] b, float[] out, int n);
    }

    private Elementwise() {
    }

    static void unary(FloatBuffer x, FloatBuffer out, Unary op) {
        int size = x.limit();
        float[] in = new float[Math.min(CHUNK, size)];
        float[] result = new float[in.length];
        for (int start = 0; start < size; start += CHUNK) {
            int n = Math.min(CHUNK, size - start);
            x.get(start, in, 0, n);
            op.apply(in, result, n);
            out.put(start, result, 0, n);
        }
    }

    static void binary(FloatBuffer a, FloatBuffer b, FloatBuffer out, Binary op) {
        int size = a.limit();
        float[] left = new float[Math.min(CHUNK, size)];
        float[] right = new float[left.length];
        float[] result = new float[left.length];
        for (int start = 0; start < size; start += CHUNK) {
            int n = Math.min(CHUNK, size - start);
            a.get(start, left, 0, n);
            b.get(start, right, 0, n);
            op.apply(left, right, result, n);
            out.put(start, result, 0, n);
        }
    }
}
