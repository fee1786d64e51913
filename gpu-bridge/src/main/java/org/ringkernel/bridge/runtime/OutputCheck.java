package org.ringkernel.bridge.runtime;

import java.nio.FloatBuffer;
import java.util.Locale;

/**
 * How the host checks that a kernel wrote its outputs: before a request is published it writes a poison into
 * output elements, and when the request completes it looks for the poison there. A kernel that leaves an element
 * unwritten then fails its request with the output and element named, instead of answering whatever the arena
 * held before (zeros, or another request's data).
 *
 * <p>The poison is a signalling NaN of a fixed payload ({@code 0x7fb00d1e}): arithmetic never produces a
 * signalling NaN, so only a kernel that copies this exact bit pattern from its input would be taken for one that
 * did not write.
 */
public enum OutputCheck {
    /** No poison and no check. */
    OFF,
    /**
     * Every element of an output of up to {@value #SAMPLE_SIZE} elements, else {@value #SAMPLE_SIZE} evenly spread
     * ones, the first and the last among them: a fixed cost per output, and it catches a kernel that writes
     * nothing, only a prefix or only a suffix.
     */
    SAMPLE,
    /** Every element: one more write and one more read per output element. */
    FULL;

    /** The poison's bits. */
    public static final int POISON_BITS = 0x7FB0_0D1E;
    /** The most elements {@link #SAMPLE} checks per output. */
    public static final int SAMPLE_SIZE = 64;
    private static final float POISON = Float.intBitsToFloat(POISON_BITS);

    /**
     * The check a setting names.
     *
     * @param value {@code off}, {@code sample} or {@code full}, in any case
     * @return the check
     * @throws IllegalArgumentException naming the values there are
     */
    public static OutputCheck parse(String value) {
        String wanted = value.strip().toLowerCase(Locale.ROOT);
        for (OutputCheck check : values()) {
            if (check.configName().equals(wanted)) {
                return check;
            }
        }
        throw new IllegalArgumentException("expected one of off, sample, full, got '" + value + "'");
    }

    /**
     * The name settings use.
     *
     * @return e.g. {@code sample}
     */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Writes the poison into the checked elements of the {@code count} floats of {@code arena} from {@code first}. */
    void poison(FloatBuffer arena, int first, int count) {
        int checked = checkedCount(count);
        for (int i = 0; i < checked; i++) {
            arena.put(first + element(i, count, checked), POISON);
        }
    }

    /**
     * The first checked element of the {@code count} floats of {@code arena} from {@code first} that still holds
     * the poison, or -1.
     */
    int firstUnwritten(FloatBuffer arena, int first, int count) {
        int checked = checkedCount(count);
        for (int i = 0; i < checked; i++) {
            int e = element(i, count, checked);
            if (Float.floatToRawIntBits(arena.get(first + e)) == POISON_BITS) {
                return e;
            }
        }
        return -1;
    }

    private int checkedCount(int count) {
        return switch (this) {
            case OFF -> 0;
            case SAMPLE -> Math.min(count, SAMPLE_SIZE);
            case FULL -> count;
        };
    }

    /** Checked element {@code i} of {@code checked}, spread from 0 to {@code count - 1}. */
    private static int element(int i, int count, int checked) {
        return checked == count ? i : (int) ((long) i * (count - 1) / (checked - 1));
    }
}
