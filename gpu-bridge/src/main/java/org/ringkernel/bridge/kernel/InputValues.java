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

    /** Floats of a buffer checked at a time: 8 KiB, inside a first-level cache. */
    private static final int BUFFER_STRETCH = 2048;

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
     * a finite value and NaN otherwise, and eight independent sums keep the loop from waiting on one addition
     * chain; {@code Math.max}, which raises {@code -Infinity} for the other check, costs several instructions
     * more per element, so only that check pays for it.
     */
    boolean acceptsAll(float[] data, int from, int to) {
        return switch (this) {
            case ANY -> true;
            case FINITE -> differencesVanish(data, from, to);
            case FINITE_OR_NEGATIVE_INFINITY -> raisedProductsVanish(data, from, to);
        };
    }

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

    /**
     * {@link #acceptsAll(float[])} over the elements of a buffer, from index 0 to its limit: read a stretch at a
     * time into a small array, whose checks run several times faster than reading the buffer element by element.
     */
    boolean acceptsAll(FloatBuffer data) {
        if (this == ANY) {
            return true;
        }
        int size = data.limit();
        float[] stretch = new float[Math.min(size, BUFFER_STRETCH)];
        for (int from = 0; from < size; from += stretch.length) {
            int count = Math.min(stretch.length, size - from);
            data.get(from, stretch, 0, count);
            if (!acceptsAll(stretch, 0, count)) {
                return false;
            }
        }
        return true;
    }
}
