package org.ringkernel.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.cuda.CudaBackend;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.runtime.Completion;
import org.ringkernel.bridge.runtime.InjectedFault;
import org.ringkernel.bridge.runtime.InstanceSettings;
import org.ringkernel.bridge.runtime.KernelErrorCode;
import org.ringkernel.bridge.runtime.KernelInstance;
import org.ringkernel.bridge.runtime.KernelState;
import org.ringkernel.bridge.runtime.KernelStatus;
import org.ringkernel.bridge.runtime.RequestPump;
import org.ringkernel.kernels.builtin.BuiltinKernels;

/**
 * The watchdog on a stuck worker, on a GPU: a persistent kernel whose worker block never acknowledges a batch
 * keeps beating while block 0 waits for it, so the kernel itself must give up after its worker stall limit and
 * report FAILED with {@link KernelErrorCode#WORKER_STALLED}. Skipped, with the probe's reason, where no CUDA
 * device is usable.
 */
@Tag("cuda")
class CudaWatchdogStuckWorkerTest {
    private static final Duration STALL_LIMIT = Duration.ofMillis(500);
    /** The limit, plus generous room for the heartbeat-paced wait and a busy device. */
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final KernelDefinition square = BuiltinKernels.get("square");

    @Test
    void aStuckWorkerBlockMakesTheKernelReportWorkerStalledWithinItsLimit() throws Exception {
        CudaTestDevice.closeShared();
        CompletableFuture<String> deviceFault = new CompletableFuture<>();
        try (CudaBackend backend = CudaTestDevice.open()) {
            backend.onDeviceFault(deviceFault::complete);
            InstanceSettings settings = CudaTestDevice.SETTINGS.instance().withWorkerStallTimeout(STALL_LIMIT);
            KernelInstance instance = backend.launch(square, settings);
            instance.activate();
            Completion healthy = RequestPump.call(instance, square.bind(KernelRequest.of(Tensor.of(2f))), WAIT);
            assertTrue(healthy.ok(), "the kernel works before the stall: " + healthy.status());

            instance.inject(InjectedFault.STALL_WORKER);
            assertTrue(instance.channel().stage(1, square.bind(KernelRequest.of(Tensor.of(3f)))));
            instance.channel().publish();

            KernelState state = instance.awaitState(s -> s == KernelState.FAILED, WAIT);
            KernelStatus status = instance.status();
            assertEquals(KernelState.FAILED, state, "the kernel reports its stuck worker: " + status);
            assertEquals(KernelErrorCode.WORKER_STALLED, status.error(), status.failure().orElse(""));
            assertTrue(status.failure().orElseThrow().startsWith(KernelErrorCode.WORKER_STALLED.description()
                    + " (detail 1)"), "one block did not finish: " + status.failure().orElseThrow());
            // The stuck block keeps the kernel resident (on a grid of two blocks or more): only the context ends it.
            if (!instance.terminate(Duration.ofMillis(500)).stopped()) {
                instance.abandon();
            }
        }
        try (CudaBackend fresh = CudaTestDevice.open();
             KernelInstance instance = fresh.launch(square, CudaTestDevice.SETTINGS.instance())) {
            instance.activate();
            Completion after = RequestPump.call(instance, square.bind(KernelRequest.of(Tensor.of(4f))), WAIT);
            assertTrue(after.ok(), "a fresh backend works after the stall: " + after.status());
        }
    }
}
