package org.ringkernel.bridge.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The arena allocator against a model of a FIFO byte ring that places each extent where it fits. */
class ArenaAllocatorTest {
    private static final long MIB = 1 << 20;

    @Test
    void aRequestThatFitsAnEmptyArenaIsTakenWhereverTheLastOneEnded() {
        ArenaAllocator arena = new ArenaAllocator(16 * MIB);
        long first = arena.allocate(8 * MIB + 4096);
        arena.freeTo(first + 8 * MIB + 4096);
        long second = arena.allocate(ArenaAllocator.aligned(9_600_000));
        assertNotEquals(ArenaAllocator.INSUFFICIENT_CAPACITY, second, "a 9.6 MB request fits the empty 16 MiB arena");
        assertEquals(0, arena.offsetOf(second), "it starts the next lap");
    }

    @Test
    void everyRequestThatFitsTheFreeSpaceIsTakenAndNoOtherIs() {
        SplittableRandom random = new SplittableRandom(20_261_207);
        long length = 64 * RequestDescriptor.ARENA_ALIGNMENT;
        ArenaAllocator arena = new ArenaAllocator(length);
        Model model = new Model(length);
        int taken = 0;
        for (int step = 0; step < 50_000; step++) {
            if (!model.live.isEmpty() && random.nextInt(3) == 0) {
                arena.freeTo(model.freeOldest());
                continue;
            }
            long bytes = ArenaAllocator.aligned(random.nextInt(4) == 0 ? random.nextLong(1, length + 1)
                    : random.nextLong(1, length / 4));
            long expected = model.place(bytes);
            long start = arena.allocate(bytes);
            if (expected < 0) {
                assertEquals(ArenaAllocator.INSUFFICIENT_CAPACITY, start, "step " + step + ": " + bytes
                        + " bytes do not fit " + model);
            } else {
                assertNotEquals(ArenaAllocator.INSUFFICIENT_CAPACITY, start, "step " + step + ": " + bytes
                        + " bytes fit at offset " + expected + " of " + model);
                assertEquals(expected, arena.offsetOf(start), "step " + step);
                model.take(start, expected, bytes);
                taken++;
            }
        }
        assertNotEquals(0, taken);
    }

    /** Live extents by offset, oldest first, and where the newest ends. */
    private static final class Model {
        final long length;
        final ArrayDeque<long[]> live = new ArrayDeque<>();
        long tail;

        Model(long length) {
            this.length = length;
        }

        /** Where an extent of {@code bytes} goes (after the newest, else at the arena's start), or -1. */
        long place(long bytes) {
            if (tail + bytes <= length && free(tail, bytes)) {
                return tail;
            }
            return tail + bytes > length && free(0, bytes) ? 0 : -1;
        }

        private boolean free(long offset, long bytes) {
            for (long[] extent : live) {
                if (offset < extent[1] + extent[2] && extent[1] < offset + bytes) {
                    return false;
                }
            }
            return true;
        }

        void take(long position, long offset, long bytes) {
            live.addLast(new long[] {position, offset, bytes});
            tail = offset + bytes;
        }

        /** Frees the oldest extent; returns its end position. */
        long freeOldest() {
            long[] oldest = live.removeFirst();
            return oldest[0] + oldest[2];
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder("arena of " + length + " bytes, tail " + tail + ", live");
            live.forEach(extent -> text.append(" [").append(extent[1]).append(", ").append(extent[1] + extent[2])
                    .append(')'));
            return text.toString();
        }
    }

    @Test
    void aCancelledExtentIsTakenAgainByTheNextRequestAndOnlyTheLatestCanBeCancelled() {
        ArenaAllocator arena = new ArenaAllocator(4 * MIB);
        long first = arena.allocate(MIB);
        long second = arena.allocate(2 * MIB);

        assertThrows(IllegalStateException.class, () -> arena.cancelLatest(first));
        arena.cancelLatest(second);

        assertEquals(second, arena.allocate(3 * MIB), "the cancelled extent's room is free again");
        assertEquals(ArenaAllocator.INSUFFICIENT_CAPACITY, arena.allocate(MIB));
    }
}
