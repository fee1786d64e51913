package org.ringkernel.bridge.runtime;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The host's record of every request between staging and completion, indexed like the rings by position.
 * The producer puts an entry (release) before the request is published; the consumer takes it (acquire)
 * once the completion is read, then retires the position. Retired positions bound the producer: at most
 * {@code capacity} requests are ever in flight, so no entry is overwritten while still needed.
 */
final class InFlightTable {
    /**
     * One request in flight; {@code hostOutputs} holds the outputs the kernel writes in host memory
     * ({@link HostResidentTensors}), by index, and is null when every output is in the arena.
     */
    record Entry(long position, long requestId, int[][] outputShapes, int[] outputSizes, int[] outputOffsets,
                 float[][] hostOutputs, long arenaStart, long arenaEnd, long stagedNanos, boolean inPlace) {

        /** Output {@code index} where it stays in host memory; null when it is in the arena. */
        float[] hostOutput(int index) {
            return hostOutputs == null ? null : hostOutputs[index];
        }
    }

    private final AtomicReferenceArray<Entry> entries;
    private final int mask;
    private volatile long retired;

    InFlightTable(int capacity, long firstPosition) {
        this.entries = new AtomicReferenceArray<>(capacity);
        this.mask = capacity - 1;
        this.retired = firstPosition;
    }

    /** Whether {@code position} may be staged without exceeding the capacity in flight. */
    boolean hasRoom(long position) {
        return position - retired < entries.length();
    }

    void put(Entry entry) {
        entries.setRelease((int) (entry.position() & mask), entry);
    }

    /**
     * The entry staged for {@code position}.
     *
     * @throws IllegalStateException when nothing was staged there: the kernel completed a position the host
     *     never published, which breaks the ring protocol
     */
    Entry get(long position) {
        Entry entry = entries.getAcquire((int) (position & mask));
        if (entry == null || entry.position() != position) {
            throw new IllegalStateException("completion for position " + position
                    + " matches no request in flight: the kernel broke the ring protocol");
        }
        return entry;
    }

    /**
     * Lets go of the entry of {@code position} once its completion was read, so that its outputs are not kept alive
     * until the slot is used again. Consumer only, before it retires the position.
     */
    void forget(long position) {
        entries.setRelease((int) (position & mask), null);
    }

    void retireTo(long position) {
        retired = position;
    }
}
