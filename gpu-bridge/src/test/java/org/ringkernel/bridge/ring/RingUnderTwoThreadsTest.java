package org.ringkernel.bridge.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One producer and one consumer thread move millions of records through a small ring, so positions wrap
 * thousands of times. Every record carries its index and a checksum; the consumer checks that each arrives
 * once, complete and in order. The consumer also stops at intervals until the producer reports a full ring,
 * so the backpressure path runs under concurrency, and no overwrite may follow from it.
 */
class RingUnderTwoThreadsTest {
    private static final int CAPACITY = 64;
    private static final int SLOT = 64;
    private static final int PAYLOAD = 8;
    private static final int CHECKSUM = 16;
    private static final long MESSAGES = 3_000_000;
    private static final long STALL_EVERY = 100_000;

    enum Publication { PER_BATCH, PER_RECORD }

    @ParameterizedTest
    @EnumSource(Publication.class)
    void everyRecordArrivesOnceCompleteAndInOrder(Publication publication) throws Exception {
        ByteBuffer memory = SharedMemory.allocateAligned(RingDescriptor.ringLength(CAPACITY, SLOT));
        AtomicLong fullRingsSeen = new AtomicLong();

        CompletableFuture<Long> consumer = CompletableFuture.supplyAsync(() -> consume(memory, publication, fullRingsSeen));
        long producerFull = produce(memory, publication, fullRingsSeen);

        assertEquals(MESSAGES, consumer.get(60, TimeUnit.SECONDS), "records received");
        assertTrue(producerFull >= MESSAGES / STALL_EVERY, "the producer met a full ring at every stall, saw "
                + producerFull);
    }

    private static long produce(ByteBuffer memory, Publication publication, AtomicLong fullRingsSeen) {
        RingWriter writer = new RingWriter(memory, 0, CAPACITY, SLOT);
        SplittableRandom random = new SplittableRandom(7);
        long next = 0;
        long full = 0;
        while (next < MESSAGES) {
            int wanted = (int) Math.min(1 + random.nextInt(16), MESSAGES - next);
            int count = writer.claimable(wanted);
            if (count == 0) {
                full++;
                fullRingsSeen.incrementAndGet();
                Thread.onSpinWait();
                continue;
            }
            for (int i = 0; i < count; i++) {
                long position = writer.position() + i;
                int record = writer.recordOffset(position);
                memory.putLong(record + PAYLOAD, next + i);
                memory.putLong(record + CHECKSUM, ~(next + i) * 31);
                if (publication == Publication.PER_RECORD) {
                    writer.publishStamped(position);
                } else {
                    writer.stamp(position);
                }
            }
            writer.publish(count);
            next += count;
        }
        return full;
    }

    private static long consume(ByteBuffer memory, Publication publication, AtomicLong fullRingsSeen) {
        RingReader reader = new RingReader(memory, 0, CAPACITY, SLOT);
        SplittableRandom random = new SplittableRandom(11);
        long expected = 0;
        long nextStall = STALL_EVERY;
        while (expected < MESSAGES) {
            if (expected >= nextStall) {
                awaitFullRing(fullRingsSeen);
                nextStall += STALL_EVERY;
            }
            int limit = 1 + random.nextInt(32);
            int ready = publication == Publication.PER_RECORD ? reader.availableStamped(limit) : reader.available(limit);
            for (int i = 0; i < ready; i++) {
                long position = reader.position() + i;
                int record = reader.recordOffset(position);
                if (!reader.stampMatches(position)) {
                    throw new AssertionError("stamp of position " + position + " is stale");
                }
                long payload = memory.getLong(record + PAYLOAD);
                if (payload != expected || memory.getLong(record + CHECKSUM) != ~payload * 31) {
                    throw new AssertionError("position " + position + " carries record " + payload + ", expected "
                            + expected);
                }
                expected++;
            }
            if (ready > 0) {
                reader.release(ready);
            } else {
                Thread.onSpinWait();
            }
        }
        return expected;
    }

    /** Holds the consumer until the producer has met a full ring since the last stall. */
    private static void awaitFullRing(AtomicLong fullRingsSeen) {
        long before = fullRingsSeen.get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (fullRingsSeen.get() == before) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the producer never met the full ring");
            }
            Thread.onSpinWait();
        }
    }
}
