package org.ringkernel.bench;

import java.util.SplittableRandom;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/** Inputs shared by the benchmarks and the work their baselines do. */
final class Payloads {
    /** Floats per message in the actor, stream and ring benchmarks. */
    static final int SMALL = 16;

    private Payloads() {
    }

    /** {@code count} random floats in [-2, 2), the same for every run. */
    static float[] random(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextDouble() * 4.0 - 2.0);
        }
        return values;
    }

    /** The 16 floats every small message carries. */
    static float[] small() {
        return random(SMALL, 16);
    }

    /** A request of the 16 floats of {@link #small()}. */
    static KernelRequest smallRequest() {
        return KernelRequest.of(Tensor.of(small()));
    }

    /** The squares of {@code values}, in a new array: what {@code square} computes. */
    static float[] square(float[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] * values[i];
        }
        return out;
    }
}
