package org.ringkernel.kernels.builtin;

import java.nio.FloatBuffer;

/** Copies of input views, for kernels whose inner loops read an input many times over. */
final class Buffers {

    private Buffers() {
    }

    /**
     * The view's elements as an array. An absolute bulk get leaves the view's position alone and lets the inner
     * loops run over a plain array, which the JIT vectorises.
     */
    static float[] toArray(FloatBuffer view) {
        float[] copy = new float[view.limit()];
        view.get(0, copy);
        return copy;
    }
}
