package org.ringkernel.bridge.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The check agrees with the per-element rule wherever the odd value sits, for every domain, element by element on
 * short ranges and a block at a time on long ones.
 */
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
    void aRangeLongEnoughForTheBlockedCheckIsJudgedByItsOwnValuesOnly() {
        SplittableRandom random = new SplittableRandom(5);
        for (InputValues values : InputValues.values()) {
            for (int length : new int[] {255, 256, 257, 511, 512, 513, 1000, 4099}) {
                for (int trial = 0; trial < 12; trial++) {
                    float[] data = new float[length + 20];
                    for (int i = 0; i < data.length; i++) {
                        data[i] = (float) (random.nextDouble() * 2e6 - 1e6);
                    }
                    int from = random.nextInt(10);
                    int to = from + length;
                    float special = SPECIALS[random.nextInt(SPECIALS.length)];
                    int at = random.nextInt(data.length);
                    data[at] = special;
                    boolean inside = at >= from && at < to;
                    String what = values + " with " + special + " at " + at + " of [" + from + ", " + to + ")";

                    assertEquals(!inside || values.accepts(special), values.acceptsAll(data, from, to), what);
                    assertEquals(!inside || values.accepts(special),
                            values.acceptsAll(FloatBuffer.wrap(Arrays.copyOfRange(data, from, to))),
                            what + " over a buffer");
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
