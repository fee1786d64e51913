package org.ringkernel.bridge.cpu;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.ringkernel.bridge.clock.HybridLogicalClock;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.ring.ControlBlock;
import org.ringkernel.bridge.ring.KernelMemoryLayout;
import org.ringkernel.bridge.ring.SharedMemory;
import org.ringkernel.bridge.runtime.Backend;
import org.ringkernel.bridge.runtime.BackendKind;
import org.ringkernel.bridge.runtime.DeviceMemory;
import org.ringkernel.bridge.runtime.ExecutionPath;
import org.ringkernel.bridge.runtime.InstanceSettings;
import org.ringkernel.bridge.runtime.KernelInstance;

/**
 * The CPU backend: each kernel instance's loop runs on a thread of its own over direct memory laid out
 * exactly as on a GPU, and executes the kernel's CPU implementation.
 */
public final class CpuBackend implements Backend {
    /** How its instances run, as kernel info reports it. */
    public static final String MODE = "cpu-thread";

    private final HostLoopLauncher loops;
    private final Duration terminateTimeout;
    private final AtomicInteger instances = new AtomicInteger();
    private final Set<KernelInstance> running = ConcurrentHashMap.newKeySet();
    private final AtomicLong usedBytes = new AtomicLong();
    private final long directMemoryLimit = directMemoryLimit();

    /**
     * @param clock the host's clock, stamping requests and reading completions
     * @param terminateTimeout how long {@link #close()} waits for each instance still running
     */
    public CpuBackend(HybridLogicalClock clock, Duration terminateTimeout) {
        this.loops = new HostLoopLauncher(clock);
        this.terminateTimeout = terminateTimeout;
    }

    @Override
    public BackendKind kind() {
        return BackendKind.CPU;
    }

    @Override
    public String description() {
        return "cpu: " + Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version().feature();
    }

    @Override
    public KernelInstance launch(KernelDefinition definition, InstanceSettings settings) {
        KernelMemoryLayout layout = KernelMemoryLayout.of(settings.capacity(), settings.arenaBytes());
        ByteBuffer memory = SharedMemory.allocateAligned(layout.totalLength());
        new ControlBlock(memory, 0).hostInitialize(layout.capacity(), settings.maxBatchSize(), layout.arenaLength(),
                settings.workerStallTimeout().toNanos());
        KernelInstance[] self = new KernelInstance[1];
        long bytes = layout.totalLength();
        usedBytes.addAndGet(bytes);
        // Once terminated, an instance is forgotten here, so its memory can be collected.
        KernelInstance instance = loops.launch(definition, instances.incrementAndGet(), memory, layout, settings,
                definition.cpu(), MODE, ExecutionPath.RING, () -> {
                    if (running.remove(self[0])) {
                        usedBytes.addAndGet(-bytes);
                    }
                });
        self[0] = instance;
        running.add(instance);
        return instance;
    }

    /** The blocks of the instances still running, out of the direct memory the JVM may allocate. */
    @Override
    public DeviceMemory memory() {
        return DeviceMemory.ofKernels(usedBytes.get(), directMemoryLimit);
    }

    /** {@code -XX:MaxDirectMemorySize} when set, else the heap's limit, which is the JVM's default for it. */
    private static long directMemoryLimit() {
        String value = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .getVMOption("MaxDirectMemorySize").getValue();
        long configured = Long.parseLong(value);
        return configured > 0 ? configured : Runtime.getRuntime().maxMemory();
    }

    /** Terminates every instance this backend launched that is still running. */
    @Override
    public void close() {
        for (KernelInstance instance : List.copyOf(running)) {
            instance.terminate(terminateTimeout);
        }
    }
}
