package org.ringkernel.kernels.builtin;

import java.time.Duration;
import org.ringkernel.bridge.clock.HybridLogicalClock;
import org.ringkernel.bridge.cpu.CpuBackend;
import org.ringkernel.bridge.runtime.Backend;

/** Runs a kernel on a CPU backend instance with its own loop thread (see {@link BackendKernelRunner}). */
public final class CpuBackendKernelRunner extends BackendKernelRunner {
    // Each instance is terminated after its request, so one backend serves every run.
    private final CpuBackend backend = new CpuBackend(HybridLogicalClock.system(), Duration.ofSeconds(30));

    @Override
    Backend backend() {
        return backend;
    }

    @Override
    public String toString() {
        return "cpu-backend";
    }
}
