package org.ringkernel.bridge.clock;

/**
 * Packing of a hybrid logical clock reading into one 64-bit word, as it travels in ring records:
 *
 * <pre>
 *  63                                  16 15              0
 *  +-------------------------------------+----------------+
 *  |  physical time, ms since the epoch  | logical count  |
 *  +-------------------------------------+----------------+
 * </pre>
 *
 * Comparing packed words compares timestamps. A logical count that overflows carries into the physical
 * part, which keeps the order and lets the clock run ahead of the wall by at most that carry.
 */
public final class HlcTimestamp {
    /** The low bits that hold the logical count. */
    public static final int LOGICAL_BITS = 16;
    /** The mask of the logical count. */
    public static final long LOGICAL_MASK = (1L << LOGICAL_BITS) - 1;

    private HlcTimestamp() {
    }

    /**
     * Packs a reading into one word.
     *
     * @throws IllegalArgumentException when either part is out of its range
     */
    public static long pack(long physicalMillis, int logical) {
        if (physicalMillis < 0 || physicalMillis >= 1L << (63 - LOGICAL_BITS)) {
            throw new IllegalArgumentException("physical time " + physicalMillis + " ms is out of range");
        }
        if (logical < 0 || logical > LOGICAL_MASK) {
            throw new IllegalArgumentException("logical count " + logical + " is outside [0, " + LOGICAL_MASK + "]");
        }
        return physicalMillis << LOGICAL_BITS | logical;
    }

    /** The physical part of a packed reading, ms since the epoch. */
    public static long physicalMillis(long timestamp) {
        return timestamp >>> LOGICAL_BITS;
    }

    /** The logical count of a packed reading. */
    public static int logical(long timestamp) {
        return (int) (timestamp & LOGICAL_MASK);
    }

    /** A packed reading as {@code physicalMillis.logical}, for logs. */
    public static String format(long timestamp) {
        return physicalMillis(timestamp) + "." + logical(timestamp);
    }
}
