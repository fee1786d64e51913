package org.ringkernel.bridge.ring;

import static org.ringkernel.bridge.ring.ControlBlockDescriptor.*;

import java.nio.ByteBuffer;
import org.ringkernel.bridge.runtime.KernelCommand;
import org.ringkernel.bridge.runtime.KernelErrorCode;
import org.ringkernel.bridge.runtime.KernelState;

/**
 * A view of one control block ({@link ControlBlockDescriptor}). Methods named {@code host…} are called only
 * by the host and write only host lines; methods named {@code kernel…} are called only by the kernel's loop
 * and write only the kernel line. Everything else reads, with acquire.
 */
public final class ControlBlock {
    private final ByteBuffer buffer;
    private final int base;

    /** The control block at {@code base} in {@code buffer}. */
    public ControlBlock(ByteBuffer buffer, int base) {
        this.buffer = buffer;
        this.base = base;
    }

    /**
     * Writes the constant line; called once before the kernel starts, so plain stores suffice.
     *
     * @param workerStallLimitNanos how long a device kernel waits for its blocks to finish a batch before it
     *     reports {@link KernelErrorCode#WORKER_STALLED}, 0 for no limit
     */
    public void hostInitialize(int capacity, int maxBatch, long arenaLength, long workerStallLimitNanos) {
        buffer.putInt(base + MAGIC_OFFSET, MAGIC);
        buffer.putInt(base + LAYOUT_VERSION_OFFSET, LAYOUT_VERSION);
        buffer.putInt(base + CAPACITY_OFFSET, capacity);
        buffer.putInt(base + MAX_BATCH_OFFSET, maxBatch);
        buffer.putLong(base + ARENA_LENGTH_OFFSET, arenaLength);
        buffer.putLong(base + WORKER_STALL_LIMIT_OFFSET, workerStallLimitNanos);
        buffer.putInt(base + COMMAND_OFFSET, KernelCommand.NONE.code());
        buffer.putInt(base + INJECTED_FAULT_OFFSET, FAULT_NONE);
        buffer.putInt(base + STATE_OFFSET, KernelState.CREATED.code());
    }

    /** Publishes the host's command to the kernel (release). */
    public void hostCommand(KernelCommand command) {
        SharedMemory.releaseInt(buffer, base + COMMAND_OFFSET, command.code());
    }

    /** Arms a device kernel's injected fault, one of the descriptor's {@code FAULT_} codes. */
    public void hostInjectFault(int fault) {
        SharedMemory.releaseInt(buffer, base + INJECTED_FAULT_OFFSET, fault);
    }

    /**
     * Reports a failure on behalf of a device kernel the device has stopped running (its context failed), so
     * the kernel can no longer write its own line; never used while the kernel may still run.
     */
    public void hostReportLost(KernelErrorCode error, long detail) {
        kernelFail(error, detail);
    }

    /** The host's command, as the kernel reads it (acquire). */
    public KernelCommand command() {
        return KernelCommand.fromCode(SharedMemory.acquireInt(buffer, base + COMMAND_OFFSET));
    }

    /** Whether the constant line carries this build's magic and layout version. */
    public boolean layoutMatches() {
        return buffer.getInt(base + MAGIC_OFFSET) == MAGIC && buffer.getInt(base + LAYOUT_VERSION_OFFSET) == LAYOUT_VERSION;
    }

    /** The ring capacity the host wrote before launch. */
    public int capacity() {
        return buffer.getInt(base + CAPACITY_OFFSET);
    }

    /** The most requests the kernel takes in one batch, as the host wrote it before launch. */
    public int maxBatch() {
        return buffer.getInt(base + MAX_BATCH_OFFSET);
    }

    /** The arena's length in bytes, as the host wrote it before launch. */
    public long arenaLength() {
        return buffer.getLong(base + ARENA_LENGTH_OFFSET);
    }

    /** How long block 0 waits for the other blocks to finish a batch, 0 for no limit. */
    public long workerStallLimitNanos() {
        return buffer.getLong(base + WORKER_STALL_LIMIT_OFFSET);
    }

    /** Publishes a new state; written last, so a reader of the state sees the fields that led to it. */
    public void kernelState(KernelState state) {
        SharedMemory.releaseInt(buffer, base + STATE_OFFSET, state.code());
    }

    /** Records why the kernel fails, then reports {@link KernelState#FAILED}. */
    public void kernelFail(KernelErrorCode error, long detail) {
        buffer.putInt(base + ERROR_CODE_OFFSET, error.code());
        buffer.putLong(base + ERROR_DETAIL_OFFSET, detail);
        kernelState(KernelState.FAILED);
    }

    /** Publishes the kernel's heartbeat (release). */
    public void kernelHeartbeat(long value) {
        SharedMemory.releaseLong(buffer, base + HEARTBEAT_OFFSET, value);
    }

    /** Publishes the counters and clock after a batch. */
    public void kernelProgress(long messages, long batches, long clock) {
        SharedMemory.releaseLong(buffer, base + HLC_OFFSET, clock);
        SharedMemory.releaseLong(buffer, base + BATCHES_OFFSET, batches);
        SharedMemory.releaseLong(buffer, base + MESSAGES_OFFSET, messages);
    }

    /** The kernel's state (acquire), after which its counters and error fields can be read. */
    public KernelState state() {
        return KernelState.fromCode(SharedMemory.acquireInt(buffer, base + STATE_OFFSET));
    }

    /** Why the kernel failed, {@code NONE} while it has not. */
    public KernelErrorCode errorCode() {
        return KernelErrorCode.fromCode(SharedMemory.acquireInt(buffer, base + ERROR_CODE_OFFSET));
    }

    /** A number that details the error, e.g. the failing position. */
    public long errorDetail() {
        return SharedMemory.acquireLong(buffer, base + ERROR_DETAIL_OFFSET);
    }

    /** The kernel's heartbeat, which grows while its loop runs. */
    public long heartbeat() {
        return SharedMemory.acquireLong(buffer, base + HEARTBEAT_OFFSET);
    }

    /** How many requests the kernel has processed. */
    public long messagesProcessed() {
        return SharedMemory.acquireLong(buffer, base + MESSAGES_OFFSET);
    }

    /** How many batches the kernel has processed. */
    public long batchesProcessed() {
        return SharedMemory.acquireLong(buffer, base + BATCHES_OFFSET);
    }

    /** The kernel's hybrid logical clock, packed as {@link org.ringkernel.bridge.clock.HlcTimestamp} packs it. */
    public long clock() {
        return SharedMemory.acquireLong(buffer, base + HLC_OFFSET);
    }
}
