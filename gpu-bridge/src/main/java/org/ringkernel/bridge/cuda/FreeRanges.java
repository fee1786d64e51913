package org.ringkernel.bridge.cuda;

import java.util.Map;
import java.util.TreeMap;

/**
 * The free ranges of one block of memory, handed out first fit and merged with their neighbours when given
 * back: the bookkeeping of the {@link DeviceMemoryPool}, kept apart from the driver so that it can be tested
 * without a device. Lengths are whatever unit the caller counts in. Not thread-safe; the pool locks.
 */
final class FreeRanges {
    /** Returned by {@link #take} when no free range is long enough. */
    static final long NONE = -1;

    /** Free ranges: offset to length, none overlapping or touching. */
    private final TreeMap<Long, Long> free = new TreeMap<>();
    private final long size;

    FreeRanges(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("a size of at least 0, got " + size);
        }
        this.size = size;
        if (size > 0) {
            free.put(0L, size);
        }
    }

    /** Takes {@code length} from the first free range long enough; returns its offset, or {@link #NONE}. */
    long take(long length) {
        if (length <= 0) {
            throw new IllegalArgumentException("a length of at least 1, got " + length);
        }
        for (Map.Entry<Long, Long> range : free.entrySet()) {
            // Read both before the removal: TreeMap may reuse the removed entry for its successor.
            long offset = range.getKey();
            long available = range.getValue();
            if (available >= length) {
                free.remove(offset);
                if (available > length) {
                    free.put(offset + length, available - length);
                }
                return offset;
            }
        }
        return NONE;
    }

    /**
     * Gives back {@code [offset, offset + length)}, which {@link #take} handed out.
     *
     * @throws IllegalArgumentException when the range lies outside the block or overlaps a free one (given
     *     back twice)
     */
    void give(long offset, long length) {
        if (offset < 0 || length <= 0 || offset + length > size) {
            throw new IllegalArgumentException("range [" + offset + ", " + (offset + length) + ") is not within [0, "
                    + size + ")");
        }
        Map.Entry<Long, Long> before = free.floorEntry(offset);
        Map.Entry<Long, Long> after = free.ceilingEntry(offset);
        if ((before != null && before.getKey() + before.getValue() > offset)
                || (after != null && after.getKey() < offset + length)) {
            throw new IllegalArgumentException("range [" + offset + ", " + (offset + length)
                    + ") overlaps a free range: given back twice");
        }
        long start = offset;
        long merged = length;
        if (before != null && before.getKey() + before.getValue() == offset) {
            start = before.getKey();
            merged += before.getValue();
            free.remove(start);
        }
        Long next = free.remove(offset + length);
        if (next != null) {
            merged += next;
        }
        free.put(start, merged);
    }

    /** The total length of the free ranges. */
    long freeLength() {
        return free.values().stream().mapToLong(Long::longValue).sum();
    }

    /** How many free ranges there are: 1 when everything was given back. */
    int rangeCount() {
        return free.size();
    }
}
