package org.ringkernel.bridge.ring;

import java.nio.ByteBuffer;

/**
 * The consumer side of one ring ({@link RingDescriptor}). It alone writes the consumer position; it learns
 * what is ready either from the producer position ({@link #available}, for rings published per batch) or
 * from the records' sequence stamps ({@link #availableStamped}, for rings published per record), both read
 * with acquire. After reading, {@link #release} hands the slots back with one release store.
 * One instance belongs to one thread.
 */
public final class RingReader {
    private final ByteBuffer buffer;
    private final int base;
    private final int mask;
    private final int slotLength;
    private long position;
    private long cachedProducerPosition;

    /** A reader over the ring at {@code base}, continuing from the consumer position found there. */
    public RingReader(ByteBuffer buffer, int base, int capacity, int slotLength) {
        RingDescriptor.checkCapacity(capacity);
        this.buffer = buffer;
        this.base = base;
        this.mask = capacity - 1;
        this.slotLength = slotLength;
        this.position = SharedMemory.acquireLong(buffer, base + RingDescriptor.CONSUMER_POSITION_OFFSET);
        this.cachedProducerPosition = position;
    }

    /** The next position to read. */
    public long position() {
        return position;
    }

    /** How many records, up to {@code limit}, the producer has published from {@link #position()} on. */
    public int available(int limit) {
        long ready = cachedProducerPosition - position;
        if (ready < limit) {
            // Acquire pairs with the producer's release of its position: the records below it are complete.
            cachedProducerPosition = SharedMemory.acquireLong(buffer, base + RingDescriptor.PRODUCER_POSITION_OFFSET);
            ready = cachedProducerPosition - position;
        }
        return (int) Math.min(limit, ready);
    }

    /** How many consecutive records, up to {@code limit}, carry the stamp of their position. */
    public int availableStamped(int limit) {
        int ready = 0;
        // Acquire pairs with the producer's release of each stamp: the record's fields are complete.
        while (ready < limit && SharedMemory.acquireLong(buffer, recordOffset(position + ready)
                + RingDescriptor.SEQUENCE_OFFSET) == RingDescriptor.sequenceFor(position + ready)) {
            ready++;
        }
        return ready;
    }

    /** Whether the record at {@code recordPosition} carries the stamp of that position. */
    public boolean stampMatches(long recordPosition) {
        return SharedMemory.plainLong(buffer, recordOffset(recordPosition) + RingDescriptor.SEQUENCE_OFFSET)
                == RingDescriptor.sequenceFor(recordPosition);
    }

    /** Absolute offset in the buffer of the record for {@code recordPosition}. */
    public int recordOffset(long recordPosition) {
        return base + RingDescriptor.slotOffset(recordPosition, mask, slotLength);
    }

    /** Hands {@code count} read records back to the producer with one store. */
    public void release(int count) {
        position += count;
        // Release: the records are read before the producer may overwrite them.
        SharedMemory.releaseLong(buffer, base + RingDescriptor.CONSUMER_POSITION_OFFSET, position);
    }
}
