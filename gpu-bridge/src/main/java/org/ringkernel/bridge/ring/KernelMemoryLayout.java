package org.ringkernel.bridge.ring;

/**
 * Where the regions of one kernel instance sit in its single block of shared memory.
 *
 * <pre>
 *  +---------------------+  0
 *  | control block       |  {@link ControlBlockDescriptor#LENGTH}
 *  +---------------------+  h2kOffset
 *  | H2K ring            |  {@link RingDescriptor} with capacity x {@link RequestDescriptor#LENGTH}
 *  +---------------------+  k2hOffset
 *  | K2H ring            |  {@link RingDescriptor} with capacity x {@link CompletionDescriptor#LENGTH}
 *  +---------------------+  arenaOffset
 *  | data arena          |  arenaLength bytes of float32 tensors
 *  +---------------------+  totalLength
 * </pre>
 *
 * Every region starts on a {@link RingDescriptor#LINE_LENGTH} boundary. Both rings have the same capacity,
 * which is also the most requests a host keeps in flight.
 */
public record KernelMemoryLayout(int capacity, int arenaLength, int h2kOffset, int k2hOffset, int arenaOffset,
                                 int totalLength) {

    /** Computes the layout for {@code capacity} requests in flight and an arena of {@code arenaLength} bytes. */
    public static KernelMemoryLayout of(int capacity, int arenaLength) {
        RingDescriptor.checkCapacity(capacity);
        if (arenaLength < RequestDescriptor.ARENA_ALIGNMENT || arenaLength % RequestDescriptor.ARENA_ALIGNMENT != 0) {
            throw new IllegalArgumentException("arena length must be a positive multiple of "
                    + RequestDescriptor.ARENA_ALIGNMENT + " bytes, was " + arenaLength);
        }
        int h2k = align(ControlBlockDescriptor.LENGTH);
        int k2h = align(Math.addExact(h2k, RingDescriptor.ringLength(capacity, RequestDescriptor.LENGTH)));
        int arena = align(Math.addExact(k2h, RingDescriptor.ringLength(capacity, CompletionDescriptor.LENGTH)));
        int total = Math.addExact(arena, arenaLength);
        return new KernelMemoryLayout(capacity, arenaLength, h2k, k2h, arena, total);
    }

    private static int align(int offset) {
        int line = RingDescriptor.LINE_LENGTH;
        return Math.addExact(offset, line - 1) & -line;
    }
}
