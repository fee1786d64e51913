package org.ringkernel.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.clock.HybridLogicalClock;
import org.ringkernel.bridge.cuda.CudaBackend;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.runtime.BackendKind;
import org.ringkernel.bridge.runtime.BridgeSettings;
import org.ringkernel.bridge.runtime.Completion;
import org.ringkernel.bridge.runtime.CompletionStatus;
import org.ringkernel.bridge.runtime.InstanceSettings;
import org.ringkernel.bridge.runtime.KernelInstance;
import org.ringkernel.bridge.runtime.RequestPump;
import org.ringkernel.kernels.builtin.BuiltinKernels;
import org.ringkernel.kernels.builtin.CudaKernelRunner;
import org.ringkernel.kernels.reference.Float64Reference;
import org.ringkernel.kernels.reference.ReferenceCase;
import org.ringkernel.kernels.reference.ReferenceCases;

/**
 * What the first GPU run must show of the CUDA backend's hardening, one row per defect that only a device can
 * show; {@code scripts/gpu-check.sh} reports each row as a pass/fail line of its own. Every wait is bounded, so
 * a hang fails a row instead of stopping the check. Skipped, with the probe's reason, where no CUDA device is
 * usable.
 */
@Tag("cuda")
class CudaHardeningTest {
    /** Far longer than any of these requests takes, far shorter than a hang. */
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final double TOLERANCE = 1e-4;

    /**
     * With the driver loading lazily (the GPU check runs these rows with {@code CUDA_MODULE_LOADING=LAZY}), a
     * launch-path kernel started beside a running persistent kernel would load its entry at its first launch and
     * could wait for the device to go idle, forever. The backend loaded every entry when it opened.
     */
    @Test
    void eagerLoadingLetsKernelsStartBesideARunningPersistentKernel() {
        CudaTestDevice.closeShared();
        Random random = new Random(1);
        try (CudaBackend backend = CudaTestDevice.open();
             KernelInstance square = started(backend, "square", CudaTestDevice.SETTINGS.instance());
             KernelInstance matmul = started(backend, "matmul", CudaTestDevice.SETTINGS.instance());
             KernelInstance softmax = started(backend, "softmax", CudaTestDevice.SETTINGS.instance())) {
            assertMatchesReference(square, KernelRequest.of(randomTensor(random, 1000)));
            assertMatchesReference(matmul, KernelRequest.of(randomTensor(random, 64, 32), randomTensor(random, 32, 16)));
            assertMatchesReference(softmax, KernelRequest.of(randomTensor(random, 4, 100)));
        }
    }

    /**
     * Two launch-path instances share a device memory pool that holds one of their requests at a time: the
     * other waits for room (no {@code cuMemAlloc} beside the resident persistent kernel), and every result is
     * right.
     */
    @Test
    void requestsBeyondTheDeviceMemoryPoolWaitForRoomAndComplete() {
        CudaTestDevice.closeShared();
        BridgeSettings settings = BridgeSettings.fromConfig(ConfigFactory.parseString(
                "ringkernel.memory.pool-size = 5 MiB\nringkernel.kernel.arena-size = 4 MiB")
                .withFallback(ConfigFactory.load()), Map.of()).withBackend(BackendKind.CUDA);
        CudaTestDevice.assumeAvailable();
        try (CudaBackend backend = CudaBackend.open(settings, HybridLogicalClock.system())) {
            backend.preload(BuiltinKernels.all(), 1);
            InstanceSettings instance = settings.instance();
            try (KernelInstance resident = started(backend, "square", instance);
                 KernelInstance first = started(backend, "matmul", instance);
                 KernelInstance second = started(backend, "matmul", instance)) {
                List<CompletableFuture<Void>> runs = List.of(first, second).stream()
                        .map(matmul -> CompletableFuture.runAsync(() -> {
                            Random random = new Random(matmul.instance());
                            for (int i = 0; i < 5; i++) {
                                // 1 MiB + 1 MiB in, 1 MiB out: two such requests do not fit the pool at once.
                                assertMatchesReference(matmul, KernelRequest.of(randomTensor(random, 512, 512),
                                        randomTensor(random, 512, 512)));
                            }
                        })).toList();
                runs.forEach(CompletableFuture::join);
                assertMatchesReference(resident, KernelRequest.of(randomTensor(new Random(3), 100)));
            }
        }
    }

    /**
     * softmax takes {@code -inf} (masked logits): a fully masked row gives zeros, as on the CPU, not the NaN of
     * {@code expf(-inf - -inf)}; stats takes finite inputs only, and its min and max match the reference.
     */
    @Test
    void maskedSoftmaxAndStatsFollowTheirDocumentedSemantics() {
        CudaKernelRunner cuda = new CudaKernelRunner();
        List<ReferenceCase> cases = ReferenceCases.all().stream()
                .filter(c -> c.masked() || c.kernelId().equals("stats")).toList();
        assertTrue(cases.stream().anyMatch(ReferenceCase::masked), "masked softmax cases exist");
        for (ReferenceCase c : cases) {
            KernelDefinition kernel = BuiltinKernels.get(c.kernelId());
            KernelRequest request = c.request(new Random(c.toString().hashCode()));
            Tensor output = cuda.run(kernel, request).get(0);
            double[] expected = Float64Reference.compute(c.kernelId(), request.inputs(), kernel.bind(request).params());
            assertClose(expected, output, c.tolerance(), c.toString());
        }
    }

    private static KernelInstance started(CudaBackend backend, String kernelId, InstanceSettings settings) {
        KernelInstance instance = backend.launch(BuiltinKernels.get(kernelId), settings);
        instance.activate();
        return instance;
    }

    private static void assertMatchesReference(KernelInstance instance, KernelRequest request) {
        KernelDefinition kernel = instance.definition();
        Completion done;
        try {
            done = RequestPump.call(instance, kernel.bind(request), WAIT);
        } catch (Exception e) {
            throw new AssertionError(kernel.id() + " did not answer within " + WAIT + ": " + e, e);
        }
        assertEquals(CompletionStatus.OK, done.status(), kernel.id());
        double[] expected = Float64Reference.compute(kernel.id(), request.inputs(), kernel.bind(request).params());
        assertClose(expected, done.outputs().get(0), TOLERANCE, kernel.id());
    }

    private static void assertClose(double[] expected, Tensor actual, double tolerance, String what) {
        assertEquals(expected.length, actual.size(), what + ": output elements");
        for (int i = 0; i < expected.length; i++) {
            double error = Math.abs(actual.get(i) - expected[i]) / Math.max(1, Math.abs(expected[i]));
            // A negated <= so that NaN fails too.
            assertTrue(!(error > tolerance) && !Double.isNaN(actual.get(i)),
                    what + ": element " + i + " is " + actual.get(i) + ", expected " + expected[i]);
        }
    }

    private static Tensor randomTensor(Random random, int... shape) {
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return Tensor.of(shape, values);
    }
}
