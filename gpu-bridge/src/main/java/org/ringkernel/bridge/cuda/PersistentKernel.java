package org.ringkernel.bridge.cuda;

import static org.ringkernel.bridge.cuda.CudaException.check;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import jcuda.driver.CUfunction;
import jcuda.driver.CUresult;
import org.ringkernel.bridge.ring.ControlBlock;
import org.ringkernel.bridge.ring.ControlBlockDescriptor;
import org.ringkernel.bridge.ring.KernelMemoryLayout;
import org.ringkernel.bridge.runtime.DeviceExecution;
import org.ringkernel.bridge.runtime.InjectedFault;
import org.ringkernel.bridge.runtime.KernelErrorCode;
import org.ringkernel.bridge.runtime.RingPathSettings;
import org.ringkernel.bridge.runtime.RingRouting;

/**
 * One persistent ring kernel on the GPU: launched once on a non-blocking stream of its own, it polls the
 * instance's rings in mapped host memory until the host asks it to terminate.
 *
 * <p>Its parameters are {@code RingParams} by value, the five device addresses that {@code ring_loop.cuh}
 * lays out (control block, H2K ring, K2H ring, arena, scratch); the 256-byte scratch is device memory of its
 * own, zeroed on the stream before the launch. The kernel never rings a doorbell: it polls, so
 * {@link #ring()} does nothing. Whether it still runs is the stream's state, which the backend's monitor
 * reads ({@link #stillRunning()}); an error there is sticky and fails the device.
 */
final class PersistentKernel implements DeviceExecution {
    static final String MODE = "persistent";
    /** Bytes of device memory a persistent kernel keeps for its life. */
    static final int SCRATCH_LENGTH = 256;
    private static final int PARAMS_LENGTH = 40;
    private static final long MAX_WAIT_PARK_NANOS = 1_000_000;

    private final CudaBackend backend;
    private final String name;
    private final CudaContext context;
    private final CudaDriver driver;
    private final MappedHostMemory memory;
    private final ControlBlock control;
    private final ScratchStream lane;
    private final int grid;
    private final HostLaunches launches;
    private final RingRouting routing;
    private volatile Throwable failure;
    private volatile boolean stopped;
    private boolean released;

    /**
     * Launches {@code function} over {@code memory}, laid out with {@code layout} and initialized; on failure
     * it frees what it took and throws.
     *
     * @param launches the launch path for requests whose estimate is over {@code ringPath}'s budget, or null
     *     for none
     */
    PersistentKernel(CudaBackend backend, String name, CudaContext context, CUfunction function,
                     MappedHostMemory memory, KernelMemoryLayout layout, int grid, int blockSize,
                     HostLaunches launches, RingPathSettings ringPath) {
        this.backend = backend;
        this.name = name;
        this.context = context;
        this.driver = context.driver();
        this.memory = memory;
        this.control = new ControlBlock(memory.buffer(), 0);
        this.grid = grid;
        this.launches = launches;
        this.routing = RingRouting.gpuRing(ringPath, launches != null);
        context.enter();
        this.lane = ScratchStream.open(driver, backend.pool(), SCRATCH_LENGTH, name);
        try {
            long base = memory.deviceAddress();
            ByteBuffer params = ByteBuffer.allocate(PARAMS_LENGTH).order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(base)
                    .putLong(base + layout.h2kOffset())
                    .putLong(base + layout.k2hOffset())
                    .putLong(base + layout.arenaOffset())
                    .putLong(lane.scratch().address());
            check(driver.cuLaunchKernel(function, grid, blockSize, lane.stream(), params.array()),
                    "cuLaunchKernel(" + name + ", " + grid + " x " + blockSize + ")");
        } catch (RuntimeException e) {
            lane.close();
            throw e;
        }
    }

    @Override
    public String mode() {
        return MODE;
    }

    @Override
    public void ring() {
        // The kernel polls its rings; nothing to wake.
    }

    @Override
    public RingRouting routing() {
        return routing;
    }

    @Override
    public void launchOnHost(long position) {
        if (launches == null) {
            throw new IllegalStateException(name + " has no launch path");
        }
        launches.submit(position);
    }

    @Override
    public Optional<Throwable> failureCause() {
        return Optional.ofNullable(failure);
    }

    /**
     * Reads the stream: whether the kernel still runs, has exited, or died with its context. Called by the
     * backend's monitor and while waiting for a stop.
     *
     * @return true while the kernel runs
     */
    boolean stillRunning() {
        if (stopped) {
            return false;
        }
        context.enter();
        int result = driver.cuStreamQuery(lane.stream());
        if (result == CUresult.CUDA_ERROR_NOT_READY) {
            return true;
        }
        stopped = true;
        if (result != CUresult.CUDA_SUCCESS) {
            CudaException error = new CudaException("the persistent kernel " + name, result);
            lost(error);
            backend.deviceFailed(error.getMessage(), error.sticky());
        }
        return false;
    }

    /**
     * The device stopped running this kernel without its say (its context failed): records why and reports
     * the instance failed in its control block, which the kernel can no longer write.
     */
    void lost(Throwable cause) {
        stopped = true;
        if (failure == null) {
            failure = cause;
        }
        // The host drains the instance once it reads the failed state: the launch path must have written its
        // last completion by then.
        stopLaunches(Duration.ofSeconds(10));
        if (!control.state().isFinal()) {
            control.hostReportLost(KernelErrorCode.DEVICE_FAULT, 0);
        }
    }

    @Override
    public boolean awaitStopped(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long park = 1_000;
        while (stillRunning()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(park);
            park = Math.min(park * 2, MAX_WAIT_PARK_NANOS);
        }
        return stopLaunches(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    private boolean stopLaunches(Duration timeout) {
        if (launches == null) {
            return true;
        }
        try {
            return launches.stop(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        backend.forget(this);
        if (!backend.contextLost()) {
            context.enter();
            lane.close();
            if (launches != null) {
                launches.release();
            }
        }
        memory.unregister();
    }

    @Override
    public void inject(InjectedFault fault) {
        control.hostInjectFault(switch (fault) {
            case FAIL_NEXT_BATCH -> ControlBlockDescriptor.FAULT_FAIL;
            case HANG_NEXT_BATCH -> ControlBlockDescriptor.FAULT_HANG;
            case STALL_WORKER -> ControlBlockDescriptor.FAULT_STALL;
        });
    }

    /**
     * A kernel that does not stop can only be ended with its context: the device is reported failed, and
     * its owner restarts it.
     */
    @Override
    public void abandon() {
        backend.deviceFailed(name + " did not stop and was abandoned; only a context reset ends it", false);
    }

    @Override
    public String toString() {
        return name + " (" + grid + " blocks)";
    }
}
