package org.ringkernel.bridge.cpu;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.ringkernel.bridge.clock.HybridLogicalClock;
import org.ringkernel.bridge.kernel.CpuKernel;
import org.ringkernel.bridge.ring.CompletionDescriptor;
import org.ringkernel.bridge.ring.ControlBlock;
import org.ringkernel.bridge.ring.KernelMemoryLayout;
import org.ringkernel.bridge.ring.RequestDescriptor;
import org.ringkernel.bridge.ring.RingReader;
import org.ringkernel.bridge.ring.RingWriter;
import org.ringkernel.bridge.runtime.BackoffIdle;
import org.ringkernel.bridge.runtime.CompletionStatus;
import org.ringkernel.bridge.runtime.DeviceFaultException;
import org.ringkernel.bridge.runtime.ExecutionPath;
import org.ringkernel.bridge.runtime.HostResidentTensors;
import org.ringkernel.bridge.runtime.InjectedFault;
import org.ringkernel.bridge.runtime.KernelCommand;
import org.ringkernel.bridge.runtime.KernelErrorCode;
import org.ringkernel.bridge.runtime.KernelState;
import org.ringkernel.bridge.runtime.InstanceSettings;

/**
 * The device side of one kernel instance on the CPU: the same loop a GPU ring kernel runs, over the same
 * control block, rings and arena. It follows the host's commands, takes every ready request up to the
 * batch limit in one dequeue, runs the kernel's CPU implementation on the batch, publishes each completion
 * through its stamp, hands the request slots back with one release and calls the host's listener, if it set one,
 * which reads the completions on this thread instead of a poller's. Its executor is the kernel's CPU
 * implementation, or on the CUDA launch path the code that launches each request on the device.
 */
final class CpuDeviceLoop implements Runnable {
    /** How often a stalled loop beats: well inside any watchdog timeout. */
    private static final Duration STALL_BEAT = Duration.ofMillis(1);

    private final ByteBuffer memory;
    private final KernelMemoryLayout layout;
    private final ControlBlock control;
    private final CpuKernel executor;
    private final RingReader requests;
    private final RingWriter completions;
    private final BackoffIdle idle;
    private final HybridLogicalClock clock;
    private final CpuExecution execution;
    private final int maxBatch;
    private final int path;
    private final FloatBuffer arena;
    /** The tensors of its requests left in host memory; null where every tensor is in the arena. */
    private final HostResidentTensors hostResident;
    private long messages;
    private long batches;

    CpuDeviceLoop(ByteBuffer memory, KernelMemoryLayout layout, CpuKernel executor, InstanceSettings settings,
                  HybridLogicalClock clock, CpuExecution execution, ExecutionPath path) {
        this.memory = memory;
        this.layout = layout;
        this.control = new ControlBlock(memory, 0);
        this.executor = executor;
        this.requests = new RingReader(memory, layout.h2kOffset(), layout.capacity(), RequestDescriptor.LENGTH);
        this.completions = new RingWriter(memory, layout.k2hOffset(), layout.capacity(), CompletionDescriptor.LENGTH);
        this.idle = new BackoffIdle(settings.idle());
        this.clock = clock;
        this.execution = execution;
        this.maxBatch = control.maxBatch();
        this.path = path.code();
        this.arena = ArenaKernelCall.arenaFloats(memory, layout);
        this.hostResident = execution.hostResidentTensors().orElse(null);
    }

    @Override
    public void run() {
        KernelState state = KernelState.LAUNCHED;
        try {
            if (!control.layoutMatches()) {
                control.kernelFail(KernelErrorCode.LAYOUT_MISMATCH, 0);
                return;
            }
            control.kernelState(KernelState.LAUNCHED);
            while (true) {
                control.kernelHeartbeat(System.nanoTime());
                KernelCommand command = control.command();
                if (command == KernelCommand.TERMINATE) {
                    control.kernelState(KernelState.TERMINATING);
                    control.kernelState(KernelState.TERMINATED);
                    return;
                }
                state = follow(command, state);
                if (state != KernelState.ACTIVE || !processBatch()) {
                    waitForWork(command);
                }
            }
        } catch (RingCorruptedException e) {
            execution.recordFailure(e);
            control.kernelFail(KernelErrorCode.RING_CORRUPT, e.position());
        } catch (Throwable t) {
            execution.recordFailure(t);
            control.kernelFail(t instanceof DeviceFaultException ? KernelErrorCode.DEVICE_FAULT
                    : KernelErrorCode.KERNEL_EXCEPTION, requests.position());
        } finally {
            // The state is final now: whoever reads the completions learns of the stop without polling for it.
            execution.completionsPublished();
        }
    }

    private KernelState follow(KernelCommand command, KernelState state) {
        KernelState wanted = switch (command) {
            case RUN -> KernelState.ACTIVE;
            case PAUSE -> KernelState.PAUSED;
            default -> state;
        };
        if (wanted != state) {
            control.kernelState(wanted);
        }
        return wanted;
    }

    private void waitForWork(KernelCommand seen) {
        if (idle.nextParks()) {
            execution.sleeping(true);
            // Full fence: the announcement must be visible before the re-check reads the command and the ring (a
            // volatile store may pass a later acquire load); pairs with the fence in CpuExecution.ring().
            VarHandle.fullFence();
            // Re-check after announcing sleep: a publish or command that raced with it is seen here, and
            // anything later rings the doorbell.
            if (control.command() == seen && (seen != KernelCommand.RUN || requests.available(1) == 0)) {
                idle.idle();
            }
            execution.sleeping(false);
        } else {
            idle.idle();
        }
    }

    /** Processes one batch; false when there was none. */
    private boolean processBatch() throws InterruptedException {
        int count = requests.available(maxBatch);
        if (count == 0) {
            return false;
        }
        idle.reset();
        long first = requests.position();
        long started = System.nanoTime();
        List<ArenaKernelCall> calls = new ArrayList<>(count);
        int[] statuses = new int[count];
        long latestSend = Long.MIN_VALUE;
        for (int i = 0; i < count; i++) {
            long position = first + i;
            if (!requests.stampMatches(position)) {
                throw new RingCorruptedException(position);
            }
            int record = requests.recordOffset(position);
            latestSend = Math.max(latestSend, memory.getLong(record + RequestDescriptor.HLC_OFFSET));
            if (violation(record, position) != null) {
                statuses[i] = CompletionStatus.INVALID_DESCRIPTOR.code();
            } else {
                calls.add(new ArenaKernelCall(memory, record, arena, hostResident, position));
            }
        }
        // One receive event for the batch, after the latest send in it.
        clock.update(latestSend);
        injectArmedFault();
        executor.executeBatch(Collections.unmodifiableList(calls));
        complete(first, count, statuses, System.nanoTime() - started);
        return true;
    }

    private String violation(int record, long position) {
        if (hostResident == null) {
            return RequestDescriptor.violation(memory, record, layout.arenaLength());
        }
        return RequestDescriptor.violation(memory, record, layout.arenaLength(), HostResidentTensors.IN_HOST_MEMORY,
                (input, index, count) -> hostResident.violation(position, input, index, count));
    }

    private void injectArmedFault() throws InterruptedException {
        InjectedFault fault = execution.takeFault();
        if (fault == InjectedFault.FAIL_NEXT_BATCH) {
            throw new InjectedFaultException("injected fault: the batch at position " + requests.position() + " failed");
        }
        if (fault == InjectedFault.HANG_NEXT_BATCH) {
            execution.hang();
            throw new InjectedFaultException("injected fault: the batch at position " + requests.position()
                    + " hung until the instance was abandoned");
        }
        if (fault == InjectedFault.STALL_WORKER) {
            stall();
        }
    }

    /**
     * A stalled worker: the loop stays alive and beats, but the batch never finishes, until the host terminates
     * or abandons the instance. Only a watchdog that asks for progress, not just a heartbeat, sees it.
     */
    private void stall() throws InterruptedException {
        while (control.command() != KernelCommand.TERMINATE && !execution.awaitAbandoned(STALL_BEAT)) {
            control.kernelHeartbeat(System.nanoTime());
        }
        throw new InjectedFaultException("injected fault: a worker stalled on the batch at position "
                + requests.position() + " until the instance was let go");
    }

    private void complete(long first, int count, int[] statuses, long nanos) {
        while (completions.claimable(count) < count) {
            // The host has not read earlier completions yet; never overwrite them. A host that stops
            // reading and terminates gets these requests reported as terminated instead.
            if (control.command() == KernelCommand.TERMINATE) {
                return;
            }
            idle.idle();
        }
        long stamp = clock.now();
        for (int i = 0; i < count; i++) {
            long position = first + i;
            long requestId = memory.getLong(requests.recordOffset(position) + RequestDescriptor.REQUEST_ID_OFFSET);
            CompletionDescriptor.write(memory, completions.recordOffset(position), requestId, stamp, statuses[i], count,
                    nanos, path);
            completions.publishStamped(position);
            if (hostResident != null) {
                // Before the slot goes back: the producer fills it again only after the release below.
                hostResident.clear(position);
            }
        }
        completions.publish(count);
        requests.release(count);
        messages += count;
        batches++;
        control.kernelProgress(messages, batches, stamp);
        execution.completionsPublished();
    }

    /** What an injected fault throws, so it reads like a failing implementation. */
    static final class InjectedFaultException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedFaultException(String message) {
            super(message);
        }
    }

    /** A request record whose stamp does not match its position. */
    static final class RingCorruptedException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final long position;

        RingCorruptedException(long position) {
            super("request record at position " + position + " carries a stamp of another position");
            this.position = position;
        }

        long position() {
            return position;
        }
    }
}
