package org.ringkernel.kernels.builtin;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.ringkernel.bridge.kernel.BoundRequest;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.runtime.Backend;
import org.ringkernel.bridge.runtime.Completion;
import org.ringkernel.bridge.runtime.HostChannel;
import org.ringkernel.bridge.runtime.InstanceSettings;
import org.ringkernel.bridge.runtime.InstanceSettings.IdleSettings;
import org.ringkernel.bridge.runtime.KernelInstance;
import org.ringkernel.bridge.runtime.RequestPump;

/**
 * Runs a kernel the way the system does, on a backend: an instance launched for the request, the request
 * written into the H2K ring and the arena (outputs poisoned with NaN), the completion read from the K2H ring.
 */
abstract class BackendKernelRunner implements KernelRunner {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final IdleSettings IDLE = new IdleSettings(1_000, 10, Duration.ofMillis(1));

    /** The backend to launch on; a runner that cannot run here skips the calling test. */
    abstract Backend backend();

    @Override
    public List<Tensor> run(KernelDefinition kernel, KernelRequest request) {
        BoundRequest bound = kernel.bind(request);
        // An arena just large enough: direct memory is returned only when collected, so keep each one small.
        int arena = (int) HostChannel.arenaBytes(bound);
        InstanceSettings settings = new InstanceSettings(2, arena, 2, true, IDLE);
        try (KernelInstance instance = backend().launch(kernel, settings)) {
            instance.activate();
            Completion completion = RequestPump.call(instance, bound, TIMEOUT);
            if (!completion.ok()) {
                throw new AssertionError(kernel.id() + " completed with " + completion.status() + " on " + instance
                        + ": " + instance.status().failure().orElse("no failure reported"));
            }
            return completion.outputs();
        } catch (TimeoutException e) {
            throw new AssertionError(e);
        }
    }
}
