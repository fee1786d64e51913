package org.ringkernel.bridge.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The device memory pool's bookkeeping, against a bitmap of the units in use. */
class FreeRangesTest {
    private static final int SIZE = 4096;

    private record Taken(long offset, long length) {
    }

    @Test
    void randomTakesAndGivesNeverOverlapAndMergeBackToOneRange() {
        FreeRanges ranges = new FreeRanges(SIZE);
        BitSet used = new BitSet(SIZE);
        List<Taken> taken = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(11);

        for (int step = 0; step < 20_000; step++) {
            if (taken.isEmpty() || random.nextInt(3) > 0) {
                long length = 1 + random.nextInt(200);
                long offset = ranges.take(length);
                if (offset == FreeRanges.NONE) {
                    assertTrue(longestFreeRun(used) < length, "refused " + length + " with a free run long enough");
                    continue;
                }
                assertTrue(offset >= 0 && offset + length <= SIZE, "within the block: " + offset);
                assertTrue(used.get((int) offset, (int) (offset + length)).isEmpty(), "overlaps a taken range at "
                        + offset);
                used.set((int) offset, (int) (offset + length));
                taken.add(new Taken(offset, length));
            } else {
                Taken back = taken.remove(random.nextInt(taken.size()));
                ranges.give(back.offset(), back.length());
                used.clear((int) back.offset(), (int) (back.offset() + back.length()));
            }
            assertEquals(SIZE - used.cardinality(), ranges.freeLength(), "free length at step " + step);
        }
        for (Taken back : taken) {
            ranges.give(back.offset(), back.length());
        }
        assertEquals(SIZE, ranges.freeLength());
        assertEquals(1, ranges.rangeCount(), "every neighbour merged");
    }

    @Test
    void firstFitTakesTheLowestRangeThatFits() {
        FreeRanges ranges = new FreeRanges(100);
        long a = ranges.take(10);
        long b = ranges.take(20);
        long c = ranges.take(10);
        ranges.give(a, 10);
        ranges.give(c, 10);

        assertEquals(0, a);
        assertEquals(a, ranges.take(5), "the hole at the start fits");
        assertEquals(c, ranges.take(10), "the first hole is too short now; the next one fits");
        assertNotEquals(FreeRanges.NONE, b);
        assertEquals(FreeRanges.NONE, ranges.take(100));
    }

    @Test
    void givingARangeBackTwiceOrOutsideTheBlockIsRefused() {
        FreeRanges ranges = new FreeRanges(64);
        long offset = ranges.take(16);
        ranges.give(offset, 16);

        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> ranges.give(offset, 16));
        assertTrue(twice.getMessage().contains("given back twice"), twice.getMessage());
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class, () -> ranges.give(60, 8));
        assertTrue(outside.getMessage().contains("is not within [0, 64)"), outside.getMessage());
    }

    private static int longestFreeRun(BitSet used) {
        int longest = 0;
        int start = used.nextClearBit(0);
        while (start < SIZE) {
            int end = Math.min(used.nextSetBit(start) < 0 ? SIZE : used.nextSetBit(start), SIZE);
            longest = Math.max(longest, end - start);
            start = used.nextClearBit(end);
        }
        return longest;
    }
}
