package org.ringkernel.kernels.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Elementwise} against a float64 reference, into each kind of output: a direct buffer (the arena), and a part
 * of a larger array (a result written where the caller gets it) that must be written exactly there. Sizes straddle
 * the stretch and the split across the common pool.
 */
class ElementwiseTest {
    private static final int MARGIN = 5;

    @ParameterizedTest
    @ValueSource(ints = {1, 1023, 1024, 1025, 70_001, (1 << 21) + 3})
    void unaryIntoEveryKindOfOutput(int size) {
        Random random = new Random(size);
        float[] x = randomValues(random, size);
        for (Output output : Output.values()) {
            float[] backing = new float[size + 2 * MARGIN];
            FloatBuffer y = output.buffer(backing, size);
            Elementwise.unary(readOnly(x), y, (values, from, to) -> {
                for (int i = from; i < to; i++) {
                    values[i] *= values[i];
                }
            });
            for (int i = 0; i < size; i++) {
                double expected = (double) x[i] * x[i];
                assertEquals(expected, y.get(i), Math.ulp((float) expected), output + ": element " + i + " of " + size);
            }
            output.assertUntouched(backing, size);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1023, 1025, 70_001, (1 << 20) + 3})
    void binaryIntoEveryKindOfOutput(int size) {
        Random random = new Random(-size);
        float[] a = randomValues(random, size);
        float[] b = randomValues(random, size);
        float alpha = -2.5f;
        for (Output output : Output.values()) {
            float[] backing = new float[size + 2 * MARGIN];
            FloatBuffer y = output.buffer(backing, size);
            Elementwise.binary(readOnly(a), readOnly(b), y, (left, right, count) -> {
                for (int i = 0; i < count; i++) {
                    left[i] = alpha * left[i] + right[i];
                }
            });
            for (int i = 0; i < size; i++) {
                double expected = (double) alpha * a[i] + b[i];
                // Two float roundings, each within half an ulp of the larger term.
                float scale = (float) (Math.abs((double) alpha * a[i]) + Math.abs(b[i]));
                assertEquals(expected, y.get(i), 2 * Math.ulp(scale), output + ": element " + i + " of " + size);
            }
            output.assertUntouched(backing, size);
        }
    }

    private static float[] randomValues(Random random, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) (random.nextGaussian() * 100);
        }
        return values;
    }

    private static FloatBuffer readOnly(float[] values) {
        return FloatBuffer.wrap(values).asReadOnlyBuffer();
    }

    private enum Output {
        DIRECT {
            @Override
            FloatBuffer buffer(float[] backing, int size) {
                return ByteBuffer.allocateDirect(size * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
            }

            @Override
            void assertUntouched(float[] backing, int size) {
                // Nothing around a direct buffer to check.
            }
        },
        ARRAY_PART {
            @Override
            FloatBuffer buffer(float[] backing, int size) {
                Arrays.fill(backing, Float.NaN);
                return FloatBuffer.wrap(backing, MARGIN, size).slice();
            }

            @Override
            void assertUntouched(float[] backing, int size) {
                for (int i = 0; i < MARGIN; i++) {
                    assertEquals(Float.NaN, backing[i], "element " + i + " before the output");
                    assertEquals(Float.NaN, backing[MARGIN + size + i], "element " + i + " after the output");
                }
            }
        };

        abstract FloatBuffer buffer(float[] backing, int size);

        abstract void assertUntouched(float[] backing, int size);
    }
}
