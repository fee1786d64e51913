package org.ringkernel.bridge.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The vectorized check agrees with the per-element rule wherever the odd value sits, for every domain. */
class InputValuesTest {
    private static final float[] SPECIALS = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.MAX_VALUE, -Float.MAX_VALUE, -0f, Float.MIN_VALUE};

    @Test
    void acceptsAllMatchesAcceptsForEachSpecialValueAtEachPosition() {
        for (InputValues values : InputValues.values()) {
            for (float special : SPECIALS) {
                for (int length = 1; length <= 9; length++) {
                    for (int at = 0; at < length; at++) {
                        float[] data = new float[length];
                        Arrays.fill(data, 1.5f);
                        data[at] = special;
                        assertEquals(values.accepts(special), values.acceptsAll(data),
                                values + " with " + special + " at " + at + " of " + length);
                        assertEquals(values.accepts(special), values.acceptsAll(FloatBuffer.wrap(data)),
                                values + " over a buffer with " + special + " at " + at + " of " + length);
                    }
                }
            }
        }
    }

    @Test
    void onlyTheMaskedDomainTakesNegativeInfinityAndNoFiniteDomainTakesNanOrPositiveInfinity() {
        assertFalse(InputValues.FINITE.accepts(Float.NEGATIVE_INFINITY));
        assertTrue(InputValues.FINITE_OR_NEGATIVE_INFINITY.accepts(Float.NEGATIVE_INFINITY));
        for (InputValues values : new InputValues[] {InputValues.FINITE, InputValues.FINITE_OR_NEGATIVE_INFINITY}) {
            assertFalse(values.accepts(Float.NaN), values.name());
            assertFalse(values.accepts(Float.POSITIVE_INFINITY), values.name());
            assertTrue(values.accepts(-Float.MAX_VALUE), values.name());
        }
        assertTrue(InputValues.ANY.accepts(Float.NaN));
    }
}
