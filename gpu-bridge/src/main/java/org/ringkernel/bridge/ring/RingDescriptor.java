package org.ringkernel.bridge.ring;

/**
 * Layout of one single-producer single-consumer ring in shared memory: the H2K ring of request records and
 * the K2H ring of completion records both use it.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+  0
 *  |                 Producer position (i64)                       |     written only by the producer
 *  +---------------------------------------------------------------+
 *  |                 (pad to 128 bytes)                            |
 *  +---------------------------------------------------------------+  128
 *  |                 Consumer position (i64)                       |     written only by the consumer
 *  +---------------------------------------------------------------+
 *  |                 (pad to 128 bytes)                            |
 *  +---------------------------------------------------------------+  256 = HEADER_LENGTH
 *  |      slot 0: record of slotLength bytes, sequence stamp first |
 *  |      slot 1 ...                                               |
 *  |      slot capacity - 1                                        |
 *  +---------------------------------------------------------------+  256 + capacity * slotLength
 * </pre>
 *
 * <p>Positions are 64-bit counters that only grow; the slot of position {@code p} is {@code p & (capacity - 1)}.
 * The producer may write position {@code p} only while {@code p - consumerPosition < capacity}: a full ring is
 * backpressure, never an overwrite. Every record begins with a sequence stamp equal to {@code p + 1} for the
 * position it was written for, so a zeroed slot is never mistaken for a record and a reader can tell a
 * record of this lap from one of the last.
 *
 * <p>The one rule a reader must know: <b>a record is visible once its publication is seen with acquire</b>.
 * In the H2K ring the host publishes a whole batch with one release store of the producer position. In the
 * K2H ring each completion is published by a release store of its own sequence stamp, because on a GPU
 * several blocks complete requests of one batch and none of them owns a shared tail; the kernel still
 * advances the K2H producer position after each batch for monitoring.
 */
public final class RingDescriptor {
    /** Spacing of fields written by different sides: two 64-byte cache lines, against adjacent-line prefetch. */
    public static final int LINE_LENGTH = 128;
    /** Offset of the producer position (i64), written only by the producer. */
    public static final int PRODUCER_POSITION_OFFSET;
    /** Offset of the consumer position (i64), written only by the consumer. */
    public static final int CONSUMER_POSITION_OFFSET;
    /** Length of the header before slot 0. */
    public static final int HEADER_LENGTH;
    /** Offset of the sequence stamp inside every record. */
    public static final int SEQUENCE_OFFSET = 0;
    /** The largest capacity a ring may have; positions and slot indices stay far from overflow below it. */
    public static final int MAX_CAPACITY = 1 << 20;

    static {
        int offset = 0;
        PRODUCER_POSITION_OFFSET = offset;
        offset += LINE_LENGTH;
        CONSUMER_POSITION_OFFSET = offset;
        offset += LINE_LENGTH;
        HEADER_LENGTH = offset;
    }

    private RingDescriptor() {
    }

    /** Bytes a ring of {@code capacity} slots of {@code slotLength} bytes occupies, header included. */
    public static int ringLength(int capacity, int slotLength) {
        checkCapacity(capacity);
        return Math.addExact(HEADER_LENGTH, Math.multiplyExact(capacity, slotLength));
    }

    /** Offset of the slot of {@code position}, relative to the ring's base. */
    public static int slotOffset(long position, int mask, int slotLength) {
        return HEADER_LENGTH + (int) (position & mask) * slotLength;
    }

    /** The sequence stamp that marks a record written for {@code position}. */
    public static long sequenceFor(long position) {
        return position + 1;
    }

    /** Rejects a capacity that is not a power of two within [2, {@link #MAX_CAPACITY}]. */
    public static void checkCapacity(int capacity) {
        if (capacity < 2 || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException(
                    "ring capacity must be a power of two between 2 and " + MAX_CAPACITY + ", was " + capacity);
        }
    }
}
