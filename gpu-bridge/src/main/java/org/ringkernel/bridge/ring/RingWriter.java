package org.ringkernel.bridge.ring;

import java.nio.ByteBuffer;

/**
 * The producer side of one ring ({@link RingDescriptor}). It alone writes the producer position and the
 * records; it reads the consumer position with acquire, and only when its cached copy says the ring is full.
 *
 * <p>Writing is claim → fill → publish: {@link #claimable} says how many slots are free from
 * {@link #position()} on, the caller fills records at {@link #recordOffset}, then makes them visible either
 * all at once with {@link #publish} (H2K: one release per batch) or one by one with {@link #publishStamped}
 * followed by {@link #publish} (K2H: each record released through its own sequence stamp).
 * One instance belongs to one thread.
 */
public final class RingWriter {
    private final ByteBuffer buffer;
    private final int base;
    private final int capacity;
    private final int mask;
    private final int slotLength;
    private long position;
    private long cachedConsumerPosition;

    /** A writer over the ring at {@code base}, continuing from the producer position found there. */
    public RingWriter(ByteBuffer buffer, int base, int capacity, int slotLength) {
        RingDescriptor.checkCapacity(capacity);
        this.buffer = buffer;
        this.base = base;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.slotLength = slotLength;
        this.position = SharedMemory.acquireLong(buffer, base + RingDescriptor.PRODUCER_POSITION_OFFSET);
        this.cachedConsumerPosition = SharedMemory.acquireLong(buffer, base + RingDescriptor.CONSUMER_POSITION_OFFSET);
    }

    /** The next position to write. */
    public long position() {
        return position;
    }

    /** How many records the ring holds. */
    public int capacity() {
        return capacity;
    }

    /**
     * How many of {@code wanted} slots, from {@link #position()} on, are free to write. Zero means the ring is
     * full: backpressure, to be retried after the consumer moves.
     */
    public int claimable(int wanted) {
        long free = capacity - (position - cachedConsumerPosition);
        if (free < wanted) {
            // Acquire pairs with the consumer's release: slots it gave back are no longer read.
            cachedConsumerPosition = SharedMemory.acquireLong(buffer, base + RingDescriptor.CONSUMER_POSITION_OFFSET);
            free = capacity - (position - cachedConsumerPosition);
        }
        return (int) Math.min(wanted, free);
    }

    /** Absolute offset in the buffer of the record for {@code recordPosition}. */
    public int recordOffset(long recordPosition) {
        return base + RingDescriptor.slotOffset(recordPosition, mask, slotLength);
    }

    /** Writes the sequence stamp of a record that {@link #publish} will release with its batch. */
    public void stamp(long recordPosition) {
        SharedMemory.plainLong(buffer, recordOffset(recordPosition) + RingDescriptor.SEQUENCE_OFFSET,
                RingDescriptor.sequenceFor(recordPosition));
    }

    /** Releases one filled record on its own, through its sequence stamp. */
    public void publishStamped(long recordPosition) {
        // Release: the record's other fields are visible before its stamp.
        SharedMemory.releaseLong(buffer, recordOffset(recordPosition) + RingDescriptor.SEQUENCE_OFFSET,
                RingDescriptor.sequenceFor(recordPosition));
    }

    /** Moves the producer position past {@code count} filled records, releasing them all with one store. */
    public void publish(int count) {
        position += count;
        // Release: every record below the new position is complete before the position is seen.
        SharedMemory.releaseLong(buffer, base + RingDescriptor.PRODUCER_POSITION_OFFSET, position);
    }
}
