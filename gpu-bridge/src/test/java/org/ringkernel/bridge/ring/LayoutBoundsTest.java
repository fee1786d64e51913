package org.ringkernel.bridge.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Records, rings, arena and layout reject what lies outside their bounds, naming what is wrong. */
class LayoutBoundsTest {
    private static final long ARENA = 4096;
    private ByteBuffer record;

    @BeforeEach
    void wellFormedRecord() {
        record = SharedMemory.allocateAligned(RequestDescriptor.LENGTH);
        record.putInt(RequestDescriptor.INPUT_COUNT_OFFSET, 1);
        record.putInt(RequestDescriptor.OUTPUT_COUNT_OFFSET, 1);
        int input = RequestDescriptor.inputOffset(0);
        record.putLong(input + RequestDescriptor.TENSOR_ARENA_OFFSET, 0);
        record.putInt(input + RequestDescriptor.TENSOR_ELEMENT_COUNT_OFFSET, 6);
        record.putInt(input + RequestDescriptor.INPUT_RANK_OFFSET, 2);
        record.putInt(input + RequestDescriptor.INPUT_DIMS_OFFSET, 2);
        record.putInt(input + RequestDescriptor.INPUT_DIMS_OFFSET + 4, 3);
        int output = RequestDescriptor.outputOffset(0);
        record.putLong(output + RequestDescriptor.TENSOR_ARENA_OFFSET, 64);
        record.putInt(output + RequestDescriptor.TENSOR_ELEMENT_COUNT_OFFSET, 6);
    }

    @Test
    void wellFormedRecordPasses() {
        assertNull(RequestDescriptor.violation(record, 0, ARENA));
    }

    @Test
    void inputRunningPastTheArenaIsRejected() {
        record.putLong(RequestDescriptor.inputOffset(0) + RequestDescriptor.TENSOR_ARENA_OFFSET, ARENA - 64);
        record.putInt(RequestDescriptor.inputOffset(0) + RequestDescriptor.INPUT_DIMS_OFFSET + 4, 30);
        record.putInt(RequestDescriptor.inputOffset(0) + RequestDescriptor.TENSOR_ELEMENT_COUNT_OFFSET, 60);
        assertViolation("input 0: bytes [4032, 4272) run past the arena's 4096 bytes");
    }

    @Test
    void outputRunningPastTheArenaIsRejected() {
        record.putLong(RequestDescriptor.outputOffset(0) + RequestDescriptor.TENSOR_ARENA_OFFSET, ARENA);
        assertViolation("output 0: bytes [4096, 4120) run past the arena's 4096 bytes");
    }

    @Test
    void misalignedOrNegativeOffsetIsRejected() {
        record.putLong(RequestDescriptor.inputOffset(0) + RequestDescriptor.TENSOR_ARENA_OFFSET, 4);
        assertViolation("input 0: arena offset 4 is negative or not 64-byte aligned");
        record.putLong(RequestDescriptor.inputOffset(0) + RequestDescriptor.TENSOR_ARENA_OFFSET, -64);
        assertViolation("input 0: arena offset -64 is negative or not 64-byte aligned");
    }

    @Test
    void countsOutsideTheTableAreRejected() {
        record.putInt(RequestDescriptor.INPUT_COUNT_OFFSET, RequestDescriptor.MAX_INPUTS + 1);
        assertViolation("input count 5 is outside [0, 4]");
        record.putInt(RequestDescriptor.INPUT_COUNT_OFFSET, 1);
        record.putInt(RequestDescriptor.OUTPUT_COUNT_OFFSET, -1);
        assertViolation("output count -1 is outside [0, 2]");
        record.putInt(RequestDescriptor.OUTPUT_COUNT_OFFSET, 1);
        record.putInt(RequestDescriptor.PARAM_COUNT_OFFSET, 9);
        assertViolation("param count 9 is outside [0, 8]");
    }

    @Test
    void shapeThatDisagreesWithItsCountIsRejected() {
        record.putInt(RequestDescriptor.inputOffset(0) + RequestDescriptor.TENSOR_ELEMENT_COUNT_OFFSET, 7);
        assertViolation("input 0: element count 7 differs from the product of its dimensions 6");
        record.putInt(RequestDescriptor.inputOffset(0) + RequestDescriptor.INPUT_DIMS_OFFSET, 0);
        assertViolation("input 0: dimension 0 is 0, must be at least 1");
        record.putInt(RequestDescriptor.inputOffset(0) + RequestDescriptor.INPUT_RANK_OFFSET, 5);
        assertViolation("input 0: rank 5 is outside [1, 4]");
    }

    private void assertViolation(String expected) {
        assertEquals(expected, RequestDescriptor.violation(record, 0, ARENA));
    }

    @Test
    void ringCapacityMustBeAPowerOfTwoInRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RingDescriptor.ringLength(1000, 64));
        assertEquals("ring capacity must be a power of two between 2 and 1048576, was 1000", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RingDescriptor.checkCapacity(1));
        assertThrows(IllegalArgumentException.class, () -> RingDescriptor.checkCapacity(1 << 21));
    }

    @Test
    void fullRingRefusesTheProducerUntilTheConsumerReleases() {
        ByteBuffer memory = SharedMemory.allocateAligned(RingDescriptor.ringLength(4, 64));
        RingWriter writer = new RingWriter(memory, 0, 4, 64);
        RingReader reader = new RingReader(memory, 0, 4, 64);
        assertEquals(4, writer.claimable(10));
        writer.publish(4);
        assertEquals(0, writer.claimable(1), "a full ring gives no slot");
        assertEquals(4, reader.available(8));
        reader.release(1);
        assertEquals(1, writer.claimable(3), "one released slot, one claimable");
    }

    @Test
    void arenaRefusesWhatCouldNeverFitAndWhatDoesNotFitNow() {
        ArenaAllocator arena = new ArenaAllocator(1024);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> arena.allocate(2048));
        assertEquals("request needs 2048 bytes of arena but the arena holds 1024", e.getMessage());
        long first = arena.allocate(640);
        assertEquals(0, first);
        assertEquals(ArenaAllocator.INSUFFICIENT_CAPACITY, arena.allocate(512), "the tail cannot hold 512 and the head is in use");
        arena.freeTo(first + 640);
        long wrapped = arena.allocate(512);
        assertEquals(1024, wrapped, "an extent that would cross the end starts the next lap");
        assertEquals(0, arena.offsetOf(wrapped));
        assertThrows(IllegalArgumentException.class, () -> new ArenaAllocator(100));
    }

    @Test
    void regionsStartOnLinesAndDoNotOverlap() {
        KernelMemoryLayout layout = KernelMemoryLayout.of(8, 4096);
        assertEquals(0, layout.h2kOffset() % RingDescriptor.LINE_LENGTH);
        assertEquals(0, layout.k2hOffset() % RingDescriptor.LINE_LENGTH);
        assertEquals(0, layout.arenaOffset() % RingDescriptor.LINE_LENGTH);
        assertTrue(layout.h2kOffset() >= ControlBlockDescriptor.LENGTH);
        assertTrue(layout.k2hOffset() >= layout.h2kOffset() + RingDescriptor.ringLength(8, RequestDescriptor.LENGTH));
        assertTrue(layout.arenaOffset() >= layout.k2hOffset() + RingDescriptor.ringLength(8, CompletionDescriptor.LENGTH));
        assertEquals(layout.arenaOffset() + 4096, layout.totalLength());
        assertThrows(IllegalArgumentException.class, () -> KernelMemoryLayout.of(8, 100));
    }

    @Test
    void recordLengthsAreWholeCacheLinesAndSidesAreTwoLinesApart() {
        assertEquals(256, RequestDescriptor.LENGTH);
        assertEquals(64, CompletionDescriptor.LENGTH);
        assertEquals(0, RequestDescriptor.INPUTS_OFFSET % 16);
        assertEquals(ControlBlockDescriptor.COMMAND_OFFSET + RingDescriptor.LINE_LENGTH, ControlBlockDescriptor.STATE_OFFSET);
        assertEquals(RingDescriptor.LINE_LENGTH, RingDescriptor.CONSUMER_POSITION_OFFSET - RingDescriptor.PRODUCER_POSITION_OFFSET);
    }

    @Test
    void alignedMemoryHasTheAskedLengthForEveryLength() {
        for (int length = 1; length <= 1024; length++) {
            ByteBuffer memory = SharedMemory.allocateAligned(length);
            assertEquals(length, memory.capacity(), "length " + length);
            assertEquals(0, memory.alignmentOffset(0, RingDescriptor.LINE_LENGTH), "aligned at length " + length);
        }
    }
}
