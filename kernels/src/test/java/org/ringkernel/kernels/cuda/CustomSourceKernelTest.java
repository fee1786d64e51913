package org.ringkernel.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.clock.HybridLogicalClock;
import org.ringkernel.bridge.cuda.CudaBackend;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.runtime.Completion;
import org.ringkernel.bridge.runtime.KernelInstance;
import org.ringkernel.bridge.runtime.KernelState;
import org.ringkernel.bridge.runtime.RequestPump;
import org.ringkernel.kernels.builtin.BuiltinKernels;

/**
 * A custom kernel declared with the builder's {@code .cuda(source, entry)} runs on the device: its source, which
 * includes the shipped ring headers, is compiled with NVRTC when the backend loads it, and its results match a
 * float64 reference. Skipped, with the probe's reason, where no CUDA device is usable; {@code scripts/gpu-check.sh}
 * runs it on a GPU machine.
 */
@Tag("cuda")
class CustomSourceKernelTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final KernelDefinition CUBE = KernelDefinition.elementwise("custom_cube")
            .describedAs("y = x * x * x, element-wise")
            .cpu(call -> {
                FloatBuffer x = call.input(0);
                FloatBuffer y = call.output(0);
                for (int i = 0; i < y.limit(); i++) {
                    y.put(i, x.get(i) * x.get(i) * x.get(i));
                }
            })
            .cuda(CustomSources.CUBE, "rk_custom_cube_ring")
            .build();

    private static KernelInstance launch(CudaBackend backend) {
        try {
            return backend.launch(CUBE, CudaTestDevice.SETTINGS.instance());
        } catch (RuntimeException e) {
            // The driver is there, the toolkit's NVRTC library need not be: then custom sources cannot run here.
            Assumptions.assumeFalse(String.valueOf(e.getMessage()).contains("needs NVRTC to compile"), e::getMessage);
            throw e;
        }
    }

    @Test
    void aCustomSourceCompiledByNvrtcComputesWhatItsReferenceDoes() throws Exception {
        CudaTestDevice.assumeAvailable();
        CudaTestDevice.closeShared();
        List<KernelDefinition> kernels = new ArrayList<>(BuiltinKernels.all());
        kernels.add(CUBE);
        try (CudaBackend backend = CudaBackend.open(CudaTestDevice.SETTINGS, HybridLogicalClock.system())) {
            backend.preload(kernels, 1);
            try (KernelInstance instance = launch(backend)) {
                instance.activate();
                assertEquals(KernelState.ACTIVE, instance.awaitState(s -> s == KernelState.ACTIVE, WAIT));
                assertEquals("persistent", instance.status().mode());
                Random random = new Random(7);
                for (int size : new int[] {1, 17, 4096, 100_003}) {
                    float[] x = new float[size];
                    for (int i = 0; i < size; i++) {
                        x[i] = (float) (random.nextGaussian() * 4);
                    }
                    Completion done = RequestPump.call(instance, CUBE.bind(KernelRequest.of(Tensor.of(x))), WAIT);
                    assertTrue(done.ok(), done.status().toString());
                    float[] y = done.outputs().get(0).data();
                    for (int i = 0; i < size; i++) {
                        double expected = (double) x[i] * x[i] * x[i];
                        assertEquals(expected, y[i], 1e-5 * Math.max(1, Math.abs(expected)), "element " + i);
                    }
                }
            }
        }
    }
}
