package org.ringkernel.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.kernel.CudaEntry;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.runtime.Completion;
import org.ringkernel.bridge.runtime.ExecutionPath;
import org.ringkernel.bridge.runtime.KernelInstance;
import org.ringkernel.bridge.runtime.RequestPump;
import org.ringkernel.kernels.builtin.BuiltinKernels;

/**
 * Cost routing on a device: attention run as a persistent ring kernel (the built-in one is launched), so the
 * host chooses per request. q, k, v of [4096, 32] are seconds on one ring block by the default rates and must
 * complete on the launch path; a small request stays on the ring.
 */
@Tag("cuda")
class CostRoutingTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void costRoutingSendsTheLargeAttentionToTheLaunchPath() throws Exception {
        KernelDefinition builtin = BuiltinKernels.get("attention");
        KernelDefinition onRing = new KernelDefinition("attention_ring", "attention as a persistent ring kernel",
                builtin.signature(), builtin.cpu(), Optional.of(CudaEntry.persistent(KernelImage.MODULE,
                "rk_attention_ring", "rk_attention_launch")), true);
        try (KernelInstance instance = CudaTestDevice.shared().launch(onRing, CudaTestDevice.SETTINGS.instance())) {
            instance.activate();
            assertEquals("persistent", instance.status().mode());

            Completion small = RequestPump.call(instance, onRing.bind(qkv(16, 8)), WAIT);
            Completion large = RequestPump.call(instance, onRing.bind(qkv(4096, 32)), WAIT);

            assertTrue(small.ok(), small.status().toString());
            assertEquals(ExecutionPath.RING, small.path());
            assertTrue(large.ok(), large.status().toString());
            assertEquals(ExecutionPath.LAUNCH, large.path(), "cost routing: q, k, v [4096, 32] are launched");
            assertEquals(4096 * 32, large.outputs().get(0).size());
        }
    }

    private static KernelRequest qkv(int rows, int columns) {
        float[] data = new float[rows * columns];
        for (int i = 0; i < data.length; i++) {
            data[i] = (i % 7) / 7f;
        }
        Tensor t = Tensor.of(new int[] {rows, columns}, data);
        return KernelRequest.of(t, t, t);
    }
}
