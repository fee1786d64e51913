package org.ringkernel.kernels.builtin;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
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
import org.ringkernel.kernels.cuda.CudaTestDevice;

/**
 * Runs a kernel on the GPU the way the system does: an instance of the CUDA backend (a persistent ring kernel,
 * or the launch path for the kernels that use it), the request written into the ring and arena in mapped host
 * memory with outputs poisoned, the completion read from the K2H ring. Skips where no CUDA device is usable.
 */
public final class CudaKernelRunner implements KernelRunner {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final IdleSettings IDLE = new IdleSettings(1_000, 10, Duration.ofMillis(1));

    @Override
    public List<Tensor> run(KernelDefinition kernel, KernelRequest request) {
        BoundRequest bound = kernel.bind(request);
        int arena = (int) HostChannel.arenaBytes(bound);
        InstanceSettings settings = new InstanceSettings(2, arena, 2, true, IDLE);
        try (KernelInstance instance = CudaTestDevice.shared().launch(kernel, settings)) {
            instance.activate();
            Completion completion = RequestPump.call(instance, bound, TIMEOUT);
            if (!completion.ok()) {
                throw new AssertionError(kernel.id() + " completed with " + completion.status() + " on "
                        + instance + ": " + instance.status().failure().orElse("no failure reported"));
            }
            return completion.outputs();
        } catch (TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public String toString() {
        return "cuda";
    }
}
