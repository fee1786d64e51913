package org.ringkernel.bridge.ring;

/**
 * The host's bookkeeping of the data arena: a byte ring in which each request takes one contiguous,
 * {@link RequestDescriptor#ARENA_ALIGNMENT}-aligned extent, and extents are freed in the order they were
 * taken. That order is the order of completions, so freeing is moving one counter.
 *
 * <p>Like the rings, the arena is counted in positions that only grow; the offset of a position is
 * {@code position % length}. An extent that would cross the end starts at the next lap instead, and the
 * skipped tail belongs to it. {@link #allocate} is called by the producer thread and {@link #freeTo} by the
 * consumer thread; the freed position is the only field they share (acquire/release).
 */
public final class ArenaAllocator {
    /** Returned by {@link #allocate} when the arena has no room now. */
    public static final long INSUFFICIENT_CAPACITY = -1;

    private final long length;
    private long next;
    private volatile long freed;

    public ArenaAllocator(long length) {
        if (length <= 0 || length % RequestDescriptor.ARENA_ALIGNMENT != 0) {
            throw new IllegalArgumentException("arena length must be a positive multiple of "
                    + RequestDescriptor.ARENA_ALIGNMENT + ", was " + length);
        }
        this.length = length;
    }

    public long length() {
        return length;
    }

    /** Bytes an extent of {@code bytes} occupies once aligned. */
    public static long aligned(long bytes) {
        long alignment = RequestDescriptor.ARENA_ALIGNMENT;
        return (bytes + alignment - 1) & -alignment;
    }

    /**
     * Takes an extent of {@code bytes} (already {@link #aligned}).
     *
     * @return the position of its start (its offset is {@link #offsetOf}), or {@link #INSUFFICIENT_CAPACITY}
     *     when the arena is too full now; the extent ends at the returned position plus {@code bytes}
     * @throws IllegalArgumentException when the extent could never fit
     */
    public long allocate(long bytes) {
        if (bytes > length) {
            throw new IllegalArgumentException("request needs " + bytes + " bytes of arena but the arena holds "
                    + length);
        }
        long start = next;
        long offset = start % length;
        if (offset + bytes > length) {
            start += length - offset;
        }
        long end = start + bytes;
        if (end - freed > length) {
            return INSUFFICIENT_CAPACITY;
        }
        next = end;
        return start;
    }

    public int offsetOf(long position) {
        return (int) (position % length);
    }

    /** Frees every extent that ends at or before {@code position}. */
    public void freeTo(long position) {
        freed = position;
    }
}
