package org.ringkernel.bridge.cuda;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.ringkernel.bridge.clock.HybridLogicalClock;
import org.ringkernel.bridge.cpu.ArenaKernelCall;
import org.ringkernel.bridge.kernel.CpuKernel;
import org.ringkernel.bridge.ring.CompletionDescriptor;
import org.ringkernel.bridge.ring.KernelMemoryLayout;
import org.ringkernel.bridge.ring.RequestDescriptor;
import org.ringkernel.bridge.ring.RingDescriptor;
import org.ringkernel.bridge.ring.RingWriter;
import org.ringkernel.bridge.runtime.CompletionStatus;
import org.ringkernel.bridge.runtime.DeviceFaultException;
import org.ringkernel.bridge.runtime.ExecutionPath;

/**
 * The launch path beside a persistent kernel: requests the host flagged as too large for one block of the
 * ring kernel ({@code RequestDescriptor.FLAG_LAUNCH_PATH}) are computed here, one ordinary launch each, by a
 * thread of their own, which then writes their completion records. The kernel takes those records in its
 * batches but leaves their K2H slots to this thread, so each slot keeps one writer.
 *
 * <p>Stopping: once asked to stop, the thread finishes the request it is on (writing its completion) and
 * leaves the queued ones, which the host reports failed when it drains the instance. A device fault met on
 * the way writes nothing: the instance is reported failed, and the host answers the request.
 */
final class HostLaunches {
    private static final long IDLE_WAIT_MILLIS = 10;

    private final String name;
    private final CpuKernel executor;
    private final Runnable onRelease;
    private final ByteBuffer memory;
    private final KernelMemoryLayout layout;
    private final RingWriter completions;
    private final FloatBuffer arena;
    private final HybridLogicalClock clock;
    private final LinkedBlockingQueue<Long> positions = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean stopping;

    /**
     * @param executor computes one request: the {@link LaunchPath} of the kernel (any executor in tests)
     * @param onRelease gives the executor's resources back, once the thread has stopped
     */
    HostLaunches(String name, CpuKernel executor, Runnable onRelease, ByteBuffer memory, KernelMemoryLayout layout,
                 HybridLogicalClock clock) {
        this.name = name;
        this.executor = executor;
        this.onRelease = onRelease;
        this.memory = memory;
        this.layout = layout;
        this.completions = new RingWriter(memory, layout.k2hOffset(), layout.capacity(), CompletionDescriptor.LENGTH);
        this.clock = clock;
        this.arena = ArenaKernelCall.arenaFloats(memory, layout);
        this.thread = new Thread(this::run, "ringkernel-launch-beside-" + name.replace(' ', '-').replace("'", ""));
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues the published request at H2K {@code position}. */
    void submit(long position) {
        positions.add(position);
    }

    private void run() {
        try {
            while (!stopping) {
                Long position = positions.poll(IDLE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                if (position != null && !stopping && !compute(position)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Computes and completes one request; false after a device fault, which ends this thread. */
    private boolean compute(long position) {
        int record = layout.h2kOffset() + RingDescriptor.slotOffset(position, layout.capacity() - 1,
                RequestDescriptor.LENGTH);
        clock.update(memory.getLong(record + RequestDescriptor.HLC_OFFSET));
        long started = System.nanoTime();
        CompletionStatus status = CompletionStatus.OK;
        if (RequestDescriptor.violation(memory, record, layout.arenaLength()) != null) {
            status = CompletionStatus.INVALID_DESCRIPTOR;
        } else {
            try {
                executor.execute(new ArenaKernelCall(memory, record, arena));
            } catch (DeviceFaultException e) {
                return false;
            } catch (RuntimeException e) {
                status = CompletionStatus.KERNEL_ERROR;
            }
        }
        CompletionDescriptor.write(memory, completions.recordOffset(position),
                memory.getLong(record + RequestDescriptor.REQUEST_ID_OFFSET), clock.now(), status.code(), 1,
                System.nanoTime() - started, ExecutionPath.LAUNCH.code());
        completions.publishStamped(position);
        return true;
    }

    /**
     * Stops the thread after the request it is on and waits for it, unless called from that thread itself
     * (a device fault it met).
     *
     * @return false when it had not stopped within {@code millis}
     */
    boolean stop(long millis) throws InterruptedException {
        stopping = true;
        if (Thread.currentThread() == thread) {
            return true;
        }
        thread.join(Math.max(1, millis));
        return !thread.isAlive();
    }

    /** Gives the launch path's device resources back; the thread has stopped. */
    void release() {
        onRelease.run();
    }

    @Override
    public String toString() {
        return "launch path of " + name;
    }
}
