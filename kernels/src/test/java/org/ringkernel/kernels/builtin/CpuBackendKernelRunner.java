package org.ringkernel.kernels.builtin;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.ringkernel.bridge.clock.HybridLogicalClock;
import org.ringkernel.bridge.cpu.CpuBackend;
import org.ringkernel.bridge.kernel.BoundRequest;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.runtime.Completion;
import org.ringkernel.bridge.runtime.HostChannel;
import org.ringkernel.bridge.runtime.InstanceSettings;
import org.ringkernel.bridge.runtime.InstanceSettings.IdleSettings;
import org.ringkernel.bridge.runtime.KernelInstance;
import org.ringkernel.bridge.runtime.RequestPump;

/**
 * Runs a kernel the way the system does: a CPU backend instance with its own loop thread, the request
 * written into the H2K ring and arena (outputs poisoned with NaN), the completion read from the K2H ring.
 */
public final class CpuBackendKernelRunner implements KernelRunner {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final IdleSettings IDLE = new IdleSettings(1_000, 10, Duration.ofMillis(1));

    @Override
    public List<Tensor> run(KernelDefinition kernel, KernelRequest request) {
        BoundRequest bound = kernel.bind(request);
        // An arena just large enough: direct memory is returned only when collected, so keep each one small.
        int arena = (int) HostChannel.arenaBytes(bound);
        InstanceSettings settings = new InstanceSettings(2, arena, 2, true, IDLE);
        try (CpuBackend backend = new CpuBackend(HybridLogicalClock.system(), TIMEOUT);
             KernelInstance instance = backend.launch(kernel, settings)) {
            instance.activate();
            Completion completion = RequestPump.call(instance, bound, TIMEOUT);
            if (!completion.ok()) {
                throw new AssertionError(kernel.id() + " completed with " + completion.status() + ": "
                        + instance.status().failure().orElse("no failure reported"));
            }
            return completion.outputs();
        } catch (TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public String toString() {
        return "cpu-backend";
    }
}
