package org.ringkernel.bridge.kernel;

import java.nio.FloatBuffer;

/**
 * Which float32 values a kernel's inputs may hold; {@link KernelSignature#bind} rejects a request with any
 * other value and names the element.
 */
public enum InputValues {
    /** Any value, NaN and infinities included: the kernel passes them on unchanged or defines what they give. */
    ANY(Float.NaN, "any value"),
    /** Finite values only. */
    FINITE(Float.NEGATIVE_INFINITY, "finite values only"),
    /** Finite values or {@code -Infinity}, the mask of a logit; NaN and {@code +Infinity} are rejected. */
    FINITE_OR_NEGATIVE_INFINITY(-Float.MAX_VALUE, "finite values or -Infinity only");

    /**
     * Floats checked at a time by the vectorised check (1 KiB). Each block is copied into an array of its own, where
     * the JIT turns the arithmetic into vector instructions; over the input where it lies it would not, since a loop
     * that reads one array from one offset and writes another from a different offset might overlap them, and Java
     * 17's JIT does not test at run time that it does not. A shorter range is checked element by element, which
     * costs less than the copy.
     */
    private static final int BLOCK = 256;

    /**
     * What {@code -Infinity} is raised to before the check: {@code -MAX_VALUE} lets it pass as finite, and
     * {@code -Infinity} itself keeps it non-finite. Unused for {@link #ANY}.
     */
    private final float negativeInfinityAs;
    private final String description;

    InputValues(float negativeInfinityAs, String description) {
        this.negativeInfinityAs = negativeInfinityAs;
        this.description = description;
    }

    /** Whether {@code value} is acceptable. */
    public boolean accepts(float value) {
        return this == ANY || Float.isFinite(Math.max(value, negativeInfinityAs));
    }

    /** What the values may be, for messages and catalogues, e.g. {@code "finite values only"}. */
    public String description() {
        return description;
    }

    /** Whether every value of {@code data} is acceptable; see {@link #acceptsAll(float[], int, int)}. */
    boolean acceptsAll(float[] data) {
        return acceptsAll(data, 0, data.length);
    }

    /**
     * Whether every value from {@code from} to {@code to} is acceptable, at about the speed of reading them: the
     * caller scans for the culprit only when this says there is one. For {@link #FINITE}, {@code v - v} is 0 for
     * a finite value and NaN otherwise; for {@link #FINITE_OR_NEGATIVE_INFINITY}, {@code max(v, -MAX_VALUE) * 0}
     * is. Sums of those vanish only when every value is acceptable.
     */
    boolean acceptsAll(float[] data, int from, int to) {
        if (this == ANY) {
            return true;
        }
        if (to - from < BLOCK) {
            return this == FINITE ? differencesVanish(data, from, to) : raisedProductsVanish(data, from, to);
        }
        float[] block = new float[BLOCK];
        float[] sums = new float[BLOCK];
        for (int at = from; at < to; at += BLOCK) {
            int count = Math.min(BLOCK, to - at);
            System.arraycopy(data, at, block, 0, count);
            accumulate(sums, block, count);
        }
        return vanishes(sums);
    }

    /**
     * {@link #acceptsAll(float[])} over the elements of a buffer, from index 0 to its limit, read a block at a time
     * into an array, whose checks run several times faster than reading the buffer element by element.
     */
    boolean acceptsAll(FloatBuffer data) {
        if (this == ANY) {
            return true;
        }
        int size = data.limit();
        float[] block = new float[Math.min(size, BLOCK)];
        float[] sums = new float[block.length];
        for (int at = 0; at < size; at += BLOCK) {
            int count = Math.min(BLOCK, size - at);
            data.get(at, block, 0, count);
            accumulate(sums, block, count);
        }
        return vanishes(sums);
    }

    /** Adds the term of each of the first {@code count} values of {@code block} to the sum at the same index. */
    private void accumulate(float[] sums, float[] block, int count) {
        if (this == FINITE) {
            for (int i = 0; i < count; i++) {
                sums[i] += block[i] - block[i];
            }
        } else {
            float floor = negativeInfinityAs;
            for (int i = 0; i < count; i++) {
                sums[i] += Math.max(block[i], floor) * 0f;
            }
        }
    }

    private static boolean vanishes(float[] sums) {
        float total = 0;
        for (float sum : sums) {
            total += sum;
        }
        return total == 0f;
    }

    /** The check of a short range: eight independent sums keep the loop from waiting on one addition chain. */
    private static boolean differencesVanish(float[] data, int from, int to) {
        float a = 0;
        float b = 0;
        float c = 0;
        float d = 0;
        float e = 0;
        float f = 0;
        float g = 0;
        float h = 0;
        int i = from;
        for (; i + 7 < to; i += 8) {
            a += data[i] - data[i];
            b += data[i + 1] - data[i + 1];
            c += data[i + 2] - data[i + 2];
            d += data[i + 3] - data[i + 3];
            e += data[i + 4] - data[i + 4];
            f += data[i + 5] - data[i + 5];
            g += data[i + 6] - data[i + 6];
            h += data[i + 7] - data[i + 7];
        }
        for (; i < to; i++) {
            a += data[i] - data[i];
        }
        return a + b + c + d + e + f + g + h == 0f;
    }

    private boolean raisedProductsVanish(float[] data, int from, int to) {
        float floor = negativeInfinityAs;
        float a = 0;
        float b = 0;
        float c = 0;
        float d = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            a += Math.max(data[i], floor) * 0f;
            b += Math.max(data[i + 1], floor) * 0f;
            c += Math.max(data[i + 2], floor) * 0f;
            d += Math.max(data[i + 3], floor) * 0f;
        }
        for (; i < to; i++) {
            a += Math.max(data[i], floor) * 0f;
        }
        return a + b + c + d == 0f;
    }
}
