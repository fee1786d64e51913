package org.ringkernel.kernels.gpucheck;

import java.util.Random;

/**
 * Random inputs for the measures. No value is zero, so memory a kernel never wrote cannot pass for a result;
 * magnitudes stay near 1, so products and sums keep their precision.
 */
final class RandomFloats {

    private RandomFloats() {
    }

    /** {@code count} random floats with magnitudes in [0.5, 1.5) and random signs. */
    static float[] of(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = nonZero(random);
        }
        return values;
    }

    /** One random float with a magnitude in [0.5, 1.5) and a random sign. */
    static float nonZero(Random random) {
        float magnitude = 0.5f + random.nextFloat();
        return random.nextBoolean() ? magnitude : -magnitude;
    }
}
