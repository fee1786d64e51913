package org.ringkernel.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.cuda.CudaBackend;
import org.ringkernel.bridge.kernel.BoundRequest;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.runtime.Completion;
import org.ringkernel.bridge.runtime.CompletionStatus;
import org.ringkernel.bridge.runtime.ExecutionPath;
import org.ringkernel.bridge.runtime.InjectedFault;
import org.ringkernel.bridge.runtime.InstanceSettings;
import org.ringkernel.bridge.runtime.KernelErrorCode;
import org.ringkernel.bridge.runtime.KernelInstance;
import org.ringkernel.bridge.runtime.KernelState;
import org.ringkernel.bridge.runtime.KernelStatus;
import org.ringkernel.bridge.runtime.RequestPump;
import org.ringkernel.bridge.runtime.Termination;
import org.ringkernel.kernels.builtin.BuiltinKernels;
import org.ringkernel.kernels.reference.Float64Reference;

/**
 * The CUDA backend's own behaviour on a GPU: a persistent kernel's lifecycle through the control block,
 * pause and resume, the launch path, and what a device fault and a kernel that does not stop lead to. Skipped,
 * with the probe's reason, where no CUDA device is usable.
 */
@Tag("cuda")
class CudaBackendLifecycleTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final KernelDefinition square = BuiltinKernels.get("square");

    @Test
    void aPersistentKernelGoesThroughItsLifecycle() throws Exception {
        CudaBackend backend = CudaTestDevice.shared();
        KernelInstance instance = backend.launch(square, CudaTestDevice.SETTINGS.instance());

        assertEquals(KernelState.LAUNCHED, instance.awaitState(s -> s == KernelState.LAUNCHED, WAIT));
        assertEquals("persistent", instance.status().mode());
        instance.activate();
        assertEquals(KernelState.ACTIVE, instance.awaitState(s -> s == KernelState.ACTIVE, WAIT));
        assertSquares(instance, 1000);

        instance.pause();
        assertEquals(KernelState.PAUSED, instance.awaitState(s -> s == KernelState.PAUSED, WAIT));
        BoundRequest waiting = square.bind(KernelRequest.of(Tensor.of(random(64, 5))));
        assertTrue(instance.channel().stage(7, waiting));
        instance.channel().publish();
        instance.resume();
        assertEquals(KernelState.ACTIVE, instance.awaitState(s -> s == KernelState.ACTIVE, WAIT));
        List<Completion> done = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (done.isEmpty() && System.nanoTime() < deadline) {
            instance.channel().poll(done::add, 1);
        }
        assertEquals(1, done.size(), "the request published while paused completes after resume");
        assertEquals(7, done.get(0).requestId());
        assertTrue(done.get(0).ok(), done.get(0).status().toString());

        long heartbeat = instance.heartbeat();
        assertTrue(heartbeat > 0, "the kernel beats");
        assertTrue(instance.counters().messagesProcessed() >= 1001, instance.counters().toString());

        Termination termination = instance.terminate(WAIT);
        assertTrue(termination.stopped(), termination.message());
        assertEquals(KernelState.TERMINATED, termination.state());
    }

    @Test
    void heavyKernelsRunOnTheLaunchPathAndSaySo() throws Exception {
        KernelDefinition matmul = BuiltinKernels.get("matmul");
        try (KernelInstance instance = CudaTestDevice.shared().launch(matmul, CudaTestDevice.SETTINGS.instance())) {
            instance.activate();
            assertEquals("launch", instance.status().mode());
            Tensor a = Tensor.of(new int[] {129, 67}, random(129 * 67, 1));
            Tensor b = Tensor.of(new int[] {67, 131}, random(67 * 131, 2));
            KernelRequest request = KernelRequest.of(a, b);

            Completion completion = RequestPump.call(instance, matmul.bind(request), WAIT);

            assertTrue(completion.ok(), completion.status().toString());
            double[] expected = Float64Reference.compute("matmul", request.inputs(), new float[0]);
            Tensor c = completion.outputs().get(0);
            assertArrayEquals(new int[] {129, 131}, c.shape());
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], c.get(i), 1e-4 * Math.max(1, Math.abs(expected[i])), "element " + i);
            }
        }
    }

    @Test
    void aRequestOverTheRingBudgetTakesTheLaunchPathBesideThePersistentKernel() throws Exception {
        InstanceSettings settings = new InstanceSettings(16, 64 << 20, 16, true,
                CudaTestDevice.SETTINGS.instance().idle());
        try (KernelInstance instance = CudaTestDevice.shared().launch(square, settings)) {
            instance.activate();
            // 8 MiB in and 8 MiB out, about 16 ms on one ring block by the default rates (budget 5 ms), between
            // two small ones.
            List<float[]> inputs = List.of(random(100, 8), random(2 << 20, 9), random(100, 10));
            List<BoundRequest> requests = inputs.stream()
                    .map(x -> square.bind(KernelRequest.of(Tensor.of(x)))).toList();

            List<Completion> done = RequestPump.run(instance, requests, WAIT);

            assertEquals(List.of(ExecutionPath.RING, ExecutionPath.LAUNCH, ExecutionPath.RING),
                    done.stream().map(Completion::path).toList());
            for (int r = 0; r < inputs.size(); r++) {
                assertTrue(done.get(r).ok(), done.get(r).status().toString());
                float[] x = inputs.get(r);
                Tensor y = done.get(r).outputs().get(0);
                for (int i = 0; i < x.length; i++) {
                    assertEquals((double) x[i] * x[i], y.get(i), 1e-6 * Math.max(1, x[i] * x[i]), "element " + i);
                }
            }
        }
    }

    @Test
    void aTrappingKernelFailsTheDeviceAndANewBackendRecovers() throws Exception {
        CudaTestDevice.closeShared();
        CompletableFuture<String> fault = new CompletableFuture<>();
        try (CudaBackend backend = CudaTestDevice.open()) {
            KernelInstance instance = activeSquare(backend, fault);
            assertSquares(instance, 16);

            instance.inject(InjectedFault.FAIL_NEXT_BATCH);
            Completion lost = RequestPump.call(instance, square.bind(KernelRequest.of(Tensor.of(random(16, 3)))), WAIT);

            assertEquals(CompletionStatus.KERNEL_FAILED, lost.status(), "the request in flight is answered");
            KernelStatus status = instance.status();
            assertEquals(KernelState.FAILED, status.state());
            assertEquals(KernelErrorCode.DEVICE_FAULT, status.error());
            String reason = fault.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(reason.contains("CUDA_ERROR_"), "the reason names the CUDA error: " + reason);
            assertTrue(status.failure().orElseThrow().contains("CUDA_ERROR_"), status.failure().orElseThrow());
        }
        try (CudaBackend fresh = CudaTestDevice.open();
             KernelInstance instance = fresh.launch(square, CudaTestDevice.SETTINGS.instance())) {
            instance.activate();
            assertSquares(instance, 256);
        }
    }

    @Test
    void aKernelThatDoesNotStopIsReportedAndItsContextReset() throws Exception {
        CudaTestDevice.closeShared();
        CompletableFuture<String> fault = new CompletableFuture<>();
        try (CudaBackend backend = CudaTestDevice.open()) {
            KernelInstance instance = activeSquare(backend, fault);
            instance.inject(InjectedFault.HANG_NEXT_BATCH);
            assertTrue(instance.channel().stage(0, square.bind(KernelRequest.of(Tensor.of(random(16, 4))))));
            instance.channel().publish();

            Termination termination = instance.terminate(Duration.ofMillis(500));

            assertFalse(termination.stopped(), termination.message());
            assertTrue(termination.message().contains("did not stop within 500 ms"), termination.message());
            instance.abandon();
            String reason = fault.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(reason.contains("did not stop"), reason);
        }
        try (CudaBackend fresh = CudaTestDevice.open();
             KernelInstance instance = fresh.launch(square, CudaTestDevice.SETTINGS.instance())) {
            instance.activate();
            assertSquares(instance, 64);
        }
    }

    /** An active {@code square} instance on {@code backend}, whose device faults complete {@code fault}. */
    private KernelInstance activeSquare(CudaBackend backend, CompletableFuture<String> fault) {
        backend.onDeviceFault(fault::complete);
        KernelInstance instance = backend.launch(square, CudaTestDevice.SETTINGS.instance());
        instance.activate();
        return instance;
    }

    private void assertSquares(KernelInstance instance, int elements) throws Exception {
        float[] x = random(elements, elements);
        Completion completion = RequestPump.call(instance, square.bind(KernelRequest.of(Tensor.of(x))), WAIT);
        assertTrue(completion.ok(), completion.status() + ": " + instance.status().failure().orElse(""));
        Tensor y = completion.outputs().get(0);
        for (int i = 0; i < elements; i++) {
            assertEquals((double) x[i] * x[i], y.get(i), 1e-6 * Math.max(1, x[i] * x[i]), "element " + i);
        }
    }

    private static float[] random(int count, long seed) {
        Random random = new Random(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextGaussian() * 3);
        }
        return values;
    }
}
