package org.ringkernel.bridge.ring;

/**
 * The host's bookkeeping of the data arena: a byte ring in which each request takes one contiguous,
 * {@link RequestDescriptor#ARENA_ALIGNMENT}-aligned extent, and extents are freed in the order they were
 * taken. That order is the order of completions, so freeing is moving one counter.
 *
 * <p>Like the rings, the arena is counted in positions that only grow; the offset of a position is
 * {@code position % length}. An extent that would cross the end starts at the next lap instead. {@link #allocate}
 * is called by the producer thread and {@link #freeTo} by the consumer thread; the freed position is the only
 * field they share (acquire/release).
 *
 * <p>A new extent may reach up to one lap past the start of the oldest live extent, not past the freed position:
 * the bytes between the two are the tail that extent skipped, which holds nothing. Counting them as used refused,
 * forever, a request that fitted an empty arena (one that needed the start of the next lap after a large extent
 * had ended past the middle). The producer keeps the extents it handed out until they are freed, to know where
 * the oldest live one starts.
 */
public final class ArenaAllocator {
    /** Returned by {@link #allocate} when the arena has no room now. */
    public static final long INSUFFICIENT_CAPACITY = -1;

    private final long length;
    private final Extents live = new Extents();
    private long next;
    /** {@link #next} before the latest {@link #allocate}, for {@link #cancelLatest}. */
    private long nextBeforeLatest;
    private volatile long freed;

    /**
     * An empty arena of {@code length} bytes.
     *
     * @throws IllegalArgumentException when the length is not a positive multiple of the arena alignment
     */
    public ArenaAllocator(long length) {
        if (length <= 0 || length % RequestDescriptor.ARENA_ALIGNMENT != 0) {
            throw new IllegalArgumentException("arena length must be a positive multiple of "
                    + RequestDescriptor.ARENA_ALIGNMENT + ", was " + length);
        }
        this.length = length;
    }

    /** The arena's length in bytes. */
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
        live.dropEndingBy(freed);
        long start = next;
        long offset = start % length;
        if (offset + bytes > length) {
            start += length - offset;
        }
        long end = start + bytes;
        if (!live.isEmpty() && end - live.oldestStart() > length) {
            return INSUFFICIENT_CAPACITY;
        }
        live.add(start, end);
        nextBeforeLatest = next;
        next = end;
        return start;
    }

    /**
     * Gives back the extent the latest {@link #allocate} took, for a producer that found the request unfit while
     * writing it; the next extent starts where that one did.
     *
     * @param start what that {@link #allocate} returned
     * @throws IllegalStateException when {@code start} is not the latest extent's
     */
    public void cancelLatest(long start) {
        if (live.isEmpty() || live.newestStart() != start) {
            throw new IllegalStateException("extent at " + start + " is not the latest one taken");
        }
        live.dropNewest();
        next = nextBeforeLatest;
    }

    /** The byte offset in the arena of a position. */
    public int offsetOf(long position) {
        return (int) (position % length);
    }

    /** Frees every extent that ends at or before {@code position}. */
    public void freeTo(long position) {
        freed = position;
    }

    /** The producer's record of the extents it handed out and has not seen freed, oldest first. */
    private static final class Extents {
        private long[] starts = new long[64];
        private long[] ends = new long[64];
        private int head;
        private int size;

        boolean isEmpty() {
            return size == 0;
        }

        long oldestStart() {
            return starts[head];
        }

        long newestStart() {
            return starts[(head + size - 1) % starts.length];
        }

        void dropNewest() {
            size--;
        }

        void dropEndingBy(long freedPosition) {
            while (size > 0 && ends[head] - freedPosition <= 0) {
                head = (head + 1) % starts.length;
                size--;
            }
        }

        void add(long start, long end) {
            if (size == starts.length) {
                grow();
            }
            int slot = (head + size) % starts.length;
            starts[slot] = start;
            ends[slot] = end;
            size++;
        }

        private void grow() {
            long[] newStarts = new long[starts.length * 2];
            long[] newEnds = new long[ends.length * 2];
            for (int i = 0; i < size; i++) {
                newStarts[i] = starts[(head + i) % starts.length];
                newEnds[i] = ends[(head + i) % ends.length];
            }
            starts = newStarts;
            ends = newEnds;
            head = 0;
        }
    }
}
