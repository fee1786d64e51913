package org.ringkernel.bridge.cuda;

import static org.ringkernel.bridge.cuda.CudaException.check;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import jcuda.driver.CUmoduleLoadingMode;
import jcuda.driver.CUresult;
import org.ringkernel.bridge.clock.HybridLogicalClock;
import org.ringkernel.bridge.cpu.CpuBackend;
import org.ringkernel.bridge.cpu.HostLoopLauncher;
import org.ringkernel.bridge.kernel.CudaEntry;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.ring.ControlBlock;
import org.ringkernel.bridge.ring.KernelMemoryLayout;
import org.ringkernel.bridge.runtime.Backend;
import org.ringkernel.bridge.runtime.BackendKind;
import org.ringkernel.bridge.runtime.BackendUnavailableException;
import org.ringkernel.bridge.runtime.BridgeSettings;
import org.ringkernel.bridge.runtime.DeviceFaultException;
import org.ringkernel.bridge.runtime.DeviceMemory;
import org.ringkernel.bridge.runtime.ExecutionPath;
import org.ringkernel.bridge.runtime.InstanceSettings;
import org.ringkernel.bridge.runtime.KernelInstance;
import org.ringkernel.bridge.runtime.RingPathSettings;
import org.ringkernel.bridge.runtime.Termination;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CUDA backend: kernel instances on one NVIDIA GPU through the JCuda driver API.
 *
 * <p>It retains the device's primary context and loads each kernel's module into it once. Every instance's
 * control block, rings and arena lie in mapped pinned host memory ({@link MappedHostMemory}), the same layout
 * the CPU backend uses. A kernel whose {@link CudaEntry} asks for the launch path runs on a host loop that
 * launches each request ({@link LaunchPath}); every other kernel runs as a persistent ring kernel
 * ({@link PersistentKernel}) with {@code grid-size} blocks. Persistent kernels never finish, so blocks they hold
 * are lost to everything else: together they may hold at most half of the blocks the device keeps resident,
 * and a launch beyond that fails with the numbers. Kernels without CUDA code run on CPU threads.
 *
 * <p>A monitor thread reads every persistent kernel's stream each millisecond. An error there, or a sticky
 * error on the launch path, fails the device: every persistent instance is reported failed with
 * {@code DEVICE_FAULT}, and the device-fault listener is told; its owner closes this backend, which resets
 * the context, and opens a new one.
 */
public final class CudaBackend implements Backend {
    private static final Logger LOG = LoggerFactory.getLogger(CudaBackend.class);
    static final int KERNEL_BLOCK = 256;
    private static final double PERSISTENT_SHARE = 0.5;
    private static final long MONITOR_PERIOD_NANOS = 1_000_000;

    private final CudaContext context;
    private final DeviceMemoryPool pool;
    private final HostLoopLauncher loops;
    private final CpuBackend cpu;
    private final HybridLogicalClock clock;
    private final Duration terminateTimeout;
    private final int gridSize;
    private final RingPathSettings ringPath;
    private final long arenaBytes;
    private final AtomicInteger instances = new AtomicInteger();
    private final Map<Object, KernelInstance> running = new ConcurrentHashMap<>();
    private final Map<PersistentKernel, Double> persistent = new ConcurrentHashMap<>();
    private final Set<String> cpuOnlyLogged = ConcurrentHashMap.newKeySet();
    private final Map<String, String> unloadable = new ConcurrentHashMap<>();
    private final List<Consumer<String>> faultListeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> fault = new AtomicReference<>();
    private final Thread monitor;
    private double residentShare;
    private volatile boolean contextLost;
    private volatile boolean closed;
    private volatile CudaBackend successor;
    private boolean reset;

    private CudaBackend(CudaContext context, BridgeSettings settings, HybridLogicalClock clock) {
        this.context = context;
        this.clock = clock;
        this.terminateTimeout = settings.terminateTimeout();
        this.gridSize = settings.gridSize();
        this.ringPath = settings.ringPath();
        this.arenaBytes = settings.instance().arenaBytes();
        this.pool = new DeviceMemoryPool(context, settings.memory().poolBytes());
        this.loops = new HostLoopLauncher(clock);
        this.cpu = new CpuBackend(clock, settings.terminateTimeout());
        this.monitor = new Thread(this::monitor, "ringkernel-cuda-monitor-" + context.device().ordinal());
        monitor.setDaemon(true);
        monitor.start();
    }

    /**
     * Opens device {@code settings.deviceId()}.
     *
     * @throws BackendUnavailableException when the device cannot run the kernels, with the reason
     */
    public static CudaBackend open(BridgeSettings settings, HybridLogicalClock clock) {
        return open(settings, clock, new NativeCudaDriver());
    }

    /** Opens device {@code settings.deviceId()} through {@code driver}. */
    static CudaBackend open(BridgeSettings settings, HybridLogicalClock clock, CudaDriver driver) {
        if (settings.blockSize() != KERNEL_BLOCK) {
            throw new BackendUnavailableException("backend 'cuda': ringkernel.kernel.block-size is "
                    + settings.blockSize() + " but the CUDA kernels are written for " + KERNEL_BLOCK
                    + " threads per block");
        }
        CudaContext context;
        try {
            CudaDevice device = CudaDevice.open(driver, settings.deviceId());
            String unsuitable = device.unsuitability();
            if (unsuitable != null) {
                throw new BackendUnavailableException("backend 'cuda': " + unsuitable);
            }
            context = new CudaContext(driver, device);
        } catch (CudaException | DeviceFaultException | IllegalArgumentException e) {
            throw new BackendUnavailableException("backend 'cuda' cannot open device " + settings.deviceId() + ": "
                    + e.getMessage());
        }
        try {
            return new CudaBackend(context, settings, clock);
        } catch (RuntimeException e) {
            context.release();
            throw new BackendUnavailableException("backend 'cuda' cannot start on " + context.device().describe()
                    + ": " + e.getMessage());
        }
    }

    @Override
    public BackendKind kind() {
        return BackendKind.CUDA;
    }

    @Override
    public String description() {
        return context.device().toString();
    }

    @Override
    public KernelInstance launch(KernelDefinition definition, InstanceSettings settings) {
        String failed = fault.get();
        if (failed != null) {
            throw new DeviceFaultException("the CUDA device failed and waits for its restart: " + failed, null);
        }
        if (definition.cuda().isEmpty()) {
            if (cpuOnlyLogged.add(definition.id())) {
                LOG.info("kernel '{}' has no CUDA code; its instances run on CPU threads", definition.id());
            }
            return cpu.launch(definition, settings);
        }
        CudaEntry entry = definition.cuda().get();
        ensureLoaded(definition.id(), entry);
        KernelMemoryLayout layout = KernelMemoryLayout.of(settings.capacity(), settings.arenaBytes());
        context.enter();
        MappedHostMemory memory = MappedHostMemory.allocate(context.driver(), layout.totalLength());
        try {
            new ControlBlock(memory.buffer(), 0).hostInitialize(layout.capacity(), settings.maxBatchSize(),
                    layout.arenaLength(), settings.workerStallTimeout().toNanos());
            int number = instances.incrementAndGet();
            String name = "kernel '" + definition.id() + "' instance " + number;
            return entry.launchPath() ? launchPath(definition, entry, settings, layout, memory, number, name)
                    : persistent(definition, entry, settings, layout, memory, number, name);
        } catch (RuntimeException e) {
            memory.unregister();
            throw e;
        }
    }

    /**
     * Loads every kernel's module and entries now, before any persistent kernel runs, and checks that the
     * memory pool holds what {@code instancesEach} instances of each need. A module that does not load fails
     * only its kernel's launches, with the driver's reason.
     *
     * @throws IllegalStateException when the pool is too small, with the numbers
     */
    @Override
    public void preload(Collection<KernelDefinition> kernels, int instancesEach) {
        int mode = loadingMode();
        LOG.debug("the CUDA driver loads modules {}; the backend loads every kernel when it opens",
                mode == CUmoduleLoadingMode.CU_MODULE_LAZY_LOADING ? "lazily" : "eagerly");
        PoolDemand demand = new PoolDemand(context.device());
        for (KernelDefinition definition : kernels) {
            definition.cuda().ifPresent(entry -> {
                try {
                    ensureLoaded(definition.id(), entry);
                } catch (RuntimeException e) {
                    LOG.warn("kernel '{}' cannot run on CUDA: {}", definition.id(), e.getMessage());
                    unloadable.put(definition.id(), e.getMessage());
                }
                demand.add(definition.id(), entry, instancesEach);
            });
        }
        demand.check(pool.size(), arenaBytes);
    }

    private int loadingMode() {
        int[] mode = new int[1];
        check(context.driver().cuModuleGetLoadingMode(mode), "cuModuleGetLoadingMode");
        return mode[0];
    }

    /**
     * Loads the entries of {@code kernelId}, unless loaded already. Once a persistent kernel runs, loading is
     * refused: the driver may wait for the device to go idle, which it never does while one is resident.
     *
     * @throws IllegalStateException when it cannot be loaded now, or did not load, with the reason
     */
    private synchronized void ensureLoaded(String kernelId, CudaEntry entry) {
        String failed = unloadable.get(kernelId);
        if (failed != null) {
            throw new IllegalStateException("kernel '" + kernelId + "' did not load on " + context.device().describe()
                    + ": " + failed);
        }
        List<String> entries = entry.launchEntry().map(launch -> List.of(entry.persistentEntry(), launch))
                .orElse(List.of(entry.persistentEntry()));
        boolean loaded = entries.stream().allMatch(name -> context.isLoaded(entry.module(), name));
        if (loaded) {
            return;
        }
        if (!persistent.isEmpty()) {
            throw new IllegalStateException("kernel '" + kernelId + "' was registered after persistent kernels "
                    + "started on " + context.device().describe() + ", and its CUDA module ("
                    + entry.module().name() + ") cannot be loaded while they run: loading may wait for the device "
                    + "to go idle, which it never does beside them. Register custom kernels before the first "
                    + "request, or restart the device to load them");
        }
        entries.forEach(name -> context.function(entry.module(), name));
    }

    private KernelInstance persistent(KernelDefinition definition, CudaEntry entry, InstanceSettings settings,
                                      KernelMemoryLayout layout, MappedHostMemory memory, int number, String name) {
        LoadedFunction function = context.function(entry.module(), entry.persistentEntry());
        int grid = gridSize > 0 ? gridSize : Math.max(1, context.device().multiprocessors() / 8);
        double share = reserve(function, grid, name);
        HostLaunches launches = null;
        PersistentKernel kernel;
        try {
            if (entry.launchEntry().isPresent()) {
                LaunchPath path = new LaunchPath(this, name, context,
                        context.function(entry.module(), entry.launchEntry().get()).handle(), 1);
                launches = new HostLaunches(name, path, path::release, memory.buffer(), layout,
                        HybridLogicalClock.system());
            }
            kernel = new PersistentKernel(this, name, context, function.handle(), memory, layout, grid, KERNEL_BLOCK,
                    launches, ringPath);
        } catch (RuntimeException e) {
            unreserve(share);
            if (launches != null) {
                stopQuietly(launches);
            }
            throw e;
        }
        KernelInstance instance = new KernelInstance(definition, number, memory.buffer(), layout, settings, clock,
                kernel);
        persistent.put(kernel, share);
        running.put(kernel, instance);
        return instance;
    }

    private KernelInstance launchPath(KernelDefinition definition, CudaEntry entry, InstanceSettings settings,
                                      KernelMemoryLayout layout, MappedHostMemory memory, int number, String name) {
        LoadedFunction function = context.function(entry.module(), entry.launchEntry().orElseThrow());
        LaunchPath path = new LaunchPath(this, name, context, function.handle(), settings.maxBatchSize());
        KernelInstance[] self = new KernelInstance[1];
        KernelInstance instance = loops.launch(definition, number, memory.buffer(), layout, settings, path,
                LaunchPath.MODE, ExecutionPath.LAUNCH, () -> releaseLaunchPath(path, self[0], memory, name));
        self[0] = instance;
        running.put(path, instance);
        return instance;
    }

    /**
     * A launch-path loop that stopped gives its device resources back; one abandoned while it may still wait
     * on the device (a launch that never finishes) leaves them to the context reset that alone ends it.
     */
    private void releaseLaunchPath(LaunchPath path, KernelInstance instance, MappedHostMemory memory, String name) {
        running.remove(path);
        if (instance != null && !instance.state().isFinal()) {
            deviceFailed(name + " was abandoned while a launch may still run", false);
            return;
        }
        path.release();
        memory.unregister();
    }

    /** Takes a share of the device's resident blocks for a persistent kernel, or says why it cannot. */
    private synchronized double reserve(LoadedFunction function, int grid, String name) {
        long resident = (long) function.blocksPerMultiprocessor() * context.device().multiprocessors();
        double share = resident == 0 ? Double.POSITIVE_INFINITY : (double) grid / resident;
        if (residentShare + share > PERSISTENT_SHARE + 1e-9) {
            throw new IllegalStateException(name + " needs " + grid + " resident blocks of the " + resident
                    + " the device keeps for its kernel, but persistent kernels already hold "
                    + Math.round(residentShare * 100) + " % of them and may hold at most "
                    + Math.round(PERSISTENT_SHARE * 100) + " %; lower ringkernel.kernel.grid-size or the instances");
        }
        residentShare += share;
        return share;
    }

    private static void stopQuietly(HostLaunches launches) {
        try {
            launches.stop(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        launches.release();
    }

    private synchronized void unreserve(double share) {
        residentShare = Math.max(0, residentShare - share);
    }

    /** A persistent kernel was released. */
    void forget(PersistentKernel kernel) {
        running.remove(kernel);
        Double share = persistent.remove(kernel);
        if (share != null) {
            unreserve(share);
        }
    }

    /** What the memory pool has handed out (instances' scratch and requests' buffers) out of its size. */
    @Override
    public DeviceMemory memory() {
        DeviceMemory.Usage kernels = new DeviceMemory.Usage(pool.size() - pool.available(), pool.size());
        if (contextLost) {
            return new DeviceMemory(kernels, Optional.empty());
        }
        // cuMemGetInfo reads the driver's accounting; it does not wait for the device.
        long[] free = new long[1];
        long[] total = new long[1];
        context.enter();
        int result = context.driver().cuMemGetInfo(free, total);
        return new DeviceMemory(kernels, result == CUresult.CUDA_SUCCESS
                ? Optional.of(new DeviceMemory.Usage(total[0] - free[0], total[0])) : Optional.empty());
    }

    DeviceMemoryPool pool() {
        return pool;
    }

    /** Whether the context failed, so cleanup must not call into it. */
    boolean contextLost() {
        return contextLost;
    }

    /** Fails the device when {@code error} is a sticky CUDA error. */
    void reportIfDeviceFault(RuntimeException error) {
        if (error instanceof DeviceFaultException) {
            deviceFailed(error.getMessage(), true);
        }
    }

    /**
     * The device failed as a whole. When the context is lost ({@code sticky}), every persistent kernel died
     * with it and is reported failed; when a kernel merely does not stop, the others still run until the
     * restart closes this backend. The listeners are told once.
     */
    void deviceFailed(String reason, boolean sticky) {
        if (sticky) {
            contextLost = true;
            persistent.keySet().forEach(kernel -> kernel.lost(new DeviceFaultException(reason, null)));
        }
        if (fault.compareAndSet(null, reason)) {
            LOG.error("CUDA {} failed: {}", context.device().describe(), reason);
            faultListeners.forEach(listener -> listener.accept(reason));
        }
    }

    @Override
    public void onDeviceFault(Consumer<String> listener) {
        faultListeners.add(listener);
        String failed = fault.get();
        if (failed != null) {
            listener.accept(failed);
        }
    }

    private void monitor() {
        while (!closed) {
            try {
                for (PersistentKernel kernel : persistent.keySet()) {
                    kernel.stillRunning();
                }
            } catch (RuntimeException e) {
                deviceFailed("the monitor could not read a stream: " + e.getMessage(),
                        e instanceof DeviceFaultException);
            }
            LockSupport.parkNanos(MONITOR_PERIOD_NANOS);
        }
    }

    /** A newer backend now uses this device's primary context (a device restart opened it). */
    void succeededBy(CudaBackend next) {
        successor = next;
    }

    /**
     * Resets the context when this backend failed, ending every kernel in it; what the host still holds of its
     * instances stays readable (their memory is the JVM's), and each is reported failed.
     */
    synchronized void resetIfFailed() {
        if (fault.get() != null) {
            resetContext();
        }
    }

    private synchronized void resetContext() {
        if (reset) {
            return;
        }
        reset = true;
        contextLost = true;
        try {
            context.reset();
        } catch (RuntimeException e) {
            LOG.warn("resetting the context of {} failed: {}", context.device().describe(), e.getMessage());
        }
        persistent.keySet().forEach(kernel -> kernel.lost(new DeviceFaultException("the context was reset", null)));
    }

    /**
     * Terminates what still runs and gives the context back. After a device failure nothing is terminated one
     * by one: the context is reset (unless a successor's opening did so already), which ends every kernel in
     * it. A kernel that does not stop is ended the same way, but only while no successor shares the context;
     * with one, the successor is failed instead, and its restart resets the context.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LockSupport.unpark(monitor);
        try {
            monitor.join(terminateTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cpu.close();
        boolean failed = fault.get() != null;
        String stuck = null;
        if (!failed) {
            for (KernelInstance instance : List.copyOf(running.values())) {
                Termination termination = instance.terminate(terminateTimeout);
                if (!termination.stopped()) {
                    stuck = termination.message();
                }
            }
        }
        CudaBackend next = successor;
        if (stuck != null && next != null) {
            next.deviceFailed("the previous context still runs a kernel that does not stop (" + stuck + ")", false);
        } else if (failed || stuck != null) {
            resetContext();
        }
        pool.close(contextLost);
        context.release();
    }
}
