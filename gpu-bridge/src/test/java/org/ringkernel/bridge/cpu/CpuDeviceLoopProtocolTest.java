package org.ringkernel.bridge.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.clock.HybridLogicalClock;
import org.ringkernel.bridge.ring.CompletionDescriptor;
import org.ringkernel.bridge.ring.ControlBlock;
import org.ringkernel.bridge.ring.ControlBlockDescriptor;
import org.ringkernel.bridge.ring.KernelMemoryLayout;
import org.ringkernel.bridge.ring.RequestDescriptor;
import org.ringkernel.bridge.ring.RingReader;
import org.ringkernel.bridge.ring.RingWriter;
import org.ringkernel.bridge.ring.SharedMemory;
import org.ringkernel.bridge.runtime.CompletionStatus;
import org.ringkernel.bridge.runtime.ExecutionPath;
import org.ringkernel.bridge.runtime.HostResidentTensors;
import org.ringkernel.bridge.runtime.InstanceSettings;
import org.ringkernel.bridge.runtime.KernelCommand;
import org.ringkernel.bridge.runtime.KernelErrorCode;
import org.ringkernel.bridge.runtime.KernelState;
import org.ringkernel.bridge.testkit.TestKernels;

/**
 * The CPU loop against hand-written records: it refuses a foreign layout, fails on a corrupted ring, and
 * answers a record that points outside the arena with a status instead of touching memory it does not own.
 */
class CpuDeviceLoopProtocolTest {
    private static final int CAPACITY = 8;
    private static final int ARENA = 4096;

    private final InstanceSettings settings = TestKernels.settings(CAPACITY, ARENA);
    private final KernelMemoryLayout layout = KernelMemoryLayout.of(CAPACITY, ARENA);
    private final ByteBuffer memory = SharedMemory.allocateAligned(layout.totalLength());
    private final ControlBlock control = new ControlBlock(memory, 0);
    private final HostResidentTensors hostResident = new HostResidentTensors(CAPACITY);
    private final CpuExecution execution = new CpuExecution("cpu-thread", () -> { }, Optional.of(hostResident));

    @AfterEach
    void stopLoop() throws InterruptedException {
        control.hostCommand(KernelCommand.TERMINATE);
        execution.ring();
        assertTrue(execution.awaitStopped(Duration.ofSeconds(10)), "loop stopped");
    }

    private void startLoop() {
        CpuDeviceLoop loop = new CpuDeviceLoop(memory, layout, TestKernels.scale().cpu(), settings,
                HybridLogicalClock.system(), execution, ExecutionPath.RING);
        execution.start(loop, "loop-under-test");
    }

    private KernelState awaitFinalOr(KernelState wanted) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        KernelState state = control.state();
        while (state != wanted && !state.isFinal() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(100_000);
            state = control.state();
        }
        return state;
    }

    /** Writes a one-input, one-output record at the next position; returns its offset. */
    /** Starts a loop over freshly initialized memory, told to run; the writer of its request ring. */
    private RingWriter runningLoop() {
        control.hostInitialize(CAPACITY, CAPACITY, ARENA, 0);
        startLoop();
        control.hostCommand(KernelCommand.RUN);
        return new RingWriter(memory, layout.h2kOffset(), CAPACITY, RequestDescriptor.LENGTH);
    }

    private void publishOne(RingWriter writer) {
        writer.stamp(writer.position());
        writer.publish(1);
        execution.ring();
    }

    /** The statuses of the first {@code count} completions, once the loop published them all. */
    private List<CompletionStatus> statuses(int count) {
        RingReader completions = new RingReader(memory, layout.k2hOffset(), CAPACITY, CompletionDescriptor.LENGTH);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (completions.availableStamped(count) < count && System.nanoTime() < deadline) {
            LockSupport.parkNanos(100_000);
        }
        assertEquals(count, completions.availableStamped(count));
        List<CompletionStatus> statuses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            statuses.add(CompletionStatus.fromCode(
                    memory.getInt(completions.recordOffset(i) + CompletionDescriptor.STATUS_OFFSET)));
        }
        return statuses;
    }

    private int writeRecord(RingWriter writer, long inputOffset, int count, long outputOffset) {
        int record = writer.recordOffset(writer.position());
        memory.putLong(record + RequestDescriptor.REQUEST_ID_OFFSET, 42);
        memory.putInt(record + RequestDescriptor.INPUT_COUNT_OFFSET, 1);
        memory.putInt(record + RequestDescriptor.OUTPUT_COUNT_OFFSET, 1);
        memory.putInt(record + RequestDescriptor.PARAM_COUNT_OFFSET, 1);
        memory.putFloat(record + RequestDescriptor.paramOffset(0), 2f);
        int input = record + RequestDescriptor.inputOffset(0);
        memory.putLong(input + RequestDescriptor.TENSOR_ARENA_OFFSET, inputOffset);
        memory.putInt(input + RequestDescriptor.TENSOR_ELEMENT_COUNT_OFFSET, count);
        memory.putInt(input + RequestDescriptor.INPUT_RANK_OFFSET, 1);
        memory.putInt(input + RequestDescriptor.INPUT_DIMS_OFFSET, count);
        int output = record + RequestDescriptor.outputOffset(0);
        memory.putLong(output + RequestDescriptor.TENSOR_ARENA_OFFSET, outputOffset);
        memory.putInt(output + RequestDescriptor.TENSOR_ELEMENT_COUNT_OFFSET, count);
        return record;
    }

    @Test
    void foreignLayoutVersionIsRefused() {
        control.hostInitialize(CAPACITY, CAPACITY, ARENA, 0);
        memory.putInt(ControlBlockDescriptor.LAYOUT_VERSION_OFFSET, ControlBlockDescriptor.LAYOUT_VERSION + 1);
        startLoop();
        assertEquals(KernelState.FAILED, awaitFinalOr(KernelState.FAILED));
        assertEquals(KernelErrorCode.LAYOUT_MISMATCH, control.errorCode());
    }

    @Test
    void recordWithAStaleStampFailsTheKernelAsCorrupt() {
        RingWriter writer = runningLoop();
        int record = writeRecord(writer, 0, 4, 64);
        memory.putLong(record + RequestDescriptor.SEQUENCE_OFFSET, 99);
        writer.publish(1);
        execution.ring();

        assertEquals(KernelState.FAILED, awaitFinalOr(KernelState.FAILED));
        assertEquals(KernelErrorCode.RING_CORRUPT, control.errorCode());
        assertEquals(0, control.errorDetail(), "the failing position");
    }

    @Test
    void recordPointingOutsideTheArenaIsAnsweredInvalidAndTheKernelGoesOn() {
        RingWriter writer = runningLoop();
        writeRecord(writer, ARENA - 64, 64, 0);
        publishOne(writer);
        writeRecord(writer, 0, 4, 64);
        memory.putFloat(layout.arenaOffset(), 21f);
        publishOne(writer);

        assertEquals(List.of(CompletionStatus.INVALID_DESCRIPTOR, CompletionStatus.OK), statuses(2));
        assertEquals(42f, memory.getFloat(layout.arenaOffset() + 64), "the valid request was computed");
        assertEquals(KernelState.ACTIVE, control.state());
    }

    /**
     * A record may name host memory (arena offset -1) for a tensor the producer left in the loop's table: one whose
     * array is there is computed in it; one naming host memory where nothing, or an array of another length, was left
     * is answered invalid, and the loop goes on.
     */
    @Test
    void recordsNamingHostMemoryAreComputedThereOrAnsweredInvalidWhenNothingWasLeft() {
        RingWriter writer = runningLoop();
        writeRecord(writer, HostResidentTensors.IN_HOST_MEMORY, 4, 0);
        publishOne(writer);
        float[] x = {1f, 2f, 3f, 4f};
        float[] y = new float[4];
        hostResident.putInput(writer.position(), 0, x);
        hostResident.putOutput(writer.position(), 0, y);
        writeRecord(writer, HostResidentTensors.IN_HOST_MEMORY, 4, HostResidentTensors.IN_HOST_MEMORY);
        publishOne(writer);
        hostResident.putInput(writer.position(), 0, new float[3]);
        writeRecord(writer, HostResidentTensors.IN_HOST_MEMORY, 4, 0);
        publishOne(writer);

        assertEquals(List.of(CompletionStatus.INVALID_DESCRIPTOR, CompletionStatus.OK,
                CompletionStatus.INVALID_DESCRIPTOR), statuses(3), "nothing left, arrays left, another length");
        assertArrayEquals(new float[] {2f, 4f, 6f, 8f}, y, "computed in the arrays left in host memory");
        assertNull(hostResident.input(1, 0), "the loop let go of the arrays before it handed the slot back");
        assertNull(hostResident.output(1, 0));
        assertEquals(KernelState.ACTIVE, control.state());
    }
}
