package org.ringkernel.bridge.cpu;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.ringkernel.bridge.clock.HybridLogicalClock;
import org.ringkernel.bridge.kernel.CpuKernel;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.ring.KernelMemoryLayout;
import org.ringkernel.bridge.runtime.ExecutionPath;
import org.ringkernel.bridge.runtime.HostResidentTensors;
import org.ringkernel.bridge.runtime.InstanceSettings;
import org.ringkernel.bridge.runtime.KernelInstance;

/**
 * Starts kernel instances whose device loop runs on a host thread of its own: the CPU backend's instances,
 * whose executor is the kernel's CPU implementation, and the CUDA backend's launch-path instances, whose
 * executor issues one kernel launch per request.
 */
public final class HostLoopLauncher {
    private final HybridLogicalClock hostClock;

    /** @param hostClock the host's clock, stamping requests and reading completions */
    public HostLoopLauncher(HybridLogicalClock hostClock) {
        this.hostClock = hostClock;
    }

    /**
     * Starts the loop of instance {@code number} over {@code memory}, which the caller laid out with
     * {@code layout} and initialized with {@code ControlBlock.hostInitialize}.
     *
     * @param executor computes each batch the loop takes
     * @param mode how the instance runs, as kernel info reports it
     * @param path the path its completions report
     * @param onRelease told once, when the instance is released or abandoned
     */
    public KernelInstance launch(KernelDefinition definition, int number, ByteBuffer memory, KernelMemoryLayout layout,
                                 InstanceSettings settings, CpuKernel executor, String mode, ExecutionPath path,
                                 Runnable onRelease) {
        // Only a loop that computes on the host may read and write tensors where they lie on the heap.
        Optional<HostResidentTensors> hostResident = path == ExecutionPath.RING
                ? Optional.of(new HostResidentTensors(layout.capacity())) : Optional.empty();
        CpuExecution execution = new CpuExecution(mode, onRelease, hostResident);
        KernelInstance instance = new KernelInstance(definition, number, memory, layout, settings, hostClock,
                execution);
        // The loop keeps a clock of its own, as a device does; it meets the host's through the records.
        CpuDeviceLoop loop = new CpuDeviceLoop(memory, layout, executor, settings, HybridLogicalClock.system(),
                execution, path);
        execution.start(loop, "ringkernel-" + mode + "-" + definition.id() + "-" + number);
        return instance;
    }
}
