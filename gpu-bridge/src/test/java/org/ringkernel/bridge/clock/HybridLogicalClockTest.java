package org.ringkernel.bridge.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HybridLogicalClockTest {
    private final AtomicLong wall = new AtomicLong(1_700_000_000_000L);
    private final HybridLogicalClock clock = new HybridLogicalClock(wall::get, 1_000);

    @Test
    void readingsFollowTheWallClockAndCountWithinAMillisecond() {
        long first = clock.now();
        long second = clock.now();
        assertEquals(wall.get(), HlcTimestamp.physicalMillis(first));
        assertEquals(0, HlcTimestamp.logical(first));
        assertEquals(1, HlcTimestamp.logical(second));
        wall.addAndGet(5);
        long third = clock.now();
        assertEquals(wall.get(), HlcTimestamp.physicalMillis(third));
        assertEquals(0, HlcTimestamp.logical(third));
    }

    @Test
    void neverGoesBackwardsWhenTheWallClockDoes() {
        long before = clock.now();
        wall.addAndGet(-500);
        long after = clock.now();
        assertTrue(after > before);
        assertEquals(HlcTimestamp.physicalMillis(before), HlcTimestamp.physicalMillis(after));
    }

    @Test
    void receivingOrdersAfterTheRemoteEvent() {
        long remote = HlcTimestamp.pack(wall.get() + 200, 7);
        long received = clock.update(remote);
        assertTrue(received > remote);
        assertEquals(HlcTimestamp.pack(wall.get() + 200, 8), received);
        assertTrue(clock.now() > received);
    }

    @Test
    void logicalOverflowCarriesIntoPhysicalTimeAndKeepsOrder() {
        long remote = HlcTimestamp.pack(wall.get(), (int) HlcTimestamp.LOGICAL_MASK);
        long received = clock.update(remote);
        assertTrue(received > remote);
        assertEquals(wall.get() + 1, HlcTimestamp.physicalMillis(received));
    }

    @Test
    void rejectsARemoteTimestampTooFarAhead() {
        long remote = HlcTimestamp.pack(wall.get() + 5_000, 0);
        ClockDriftException e = assertThrows(ClockDriftException.class, () -> clock.update(remote));
        assertTrue(e.getMessage().contains("5000 ms ahead"), e.getMessage());
        assertTrue(e.getMessage().contains("at most 1000 ms"), e.getMessage());
    }

    @Test
    void readingsFromManyThreadsAreUnique() throws InterruptedException {
        int threads = 4;
        int each = 50_000;
        long[][] seen = new long[threads][each];
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int index = t;
            workers[t] = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    seen[index][i] = clock.now();
                }
            });
            workers[t].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        long distinct = java.util.Arrays.stream(seen).flatMapToLong(java.util.Arrays::stream).distinct().count();
        assertEquals((long) threads * each, distinct);
        for (long[] row : seen) {
            for (int i = 1; i < row.length; i++) {
                assertTrue(row[i] > row[i - 1], "each thread sees a growing clock");
            }
        }
    }
}
