package org.ringkernel.bridge.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import jcuda.driver.CUresult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.runtime.Completion;
import org.ringkernel.bridge.runtime.CompletionStatus;
import org.ringkernel.bridge.runtime.DeviceMemory;
import org.ringkernel.bridge.runtime.InstanceSettings;
import org.ringkernel.bridge.runtime.OutputCheck;
import org.ringkernel.bridge.runtime.KernelInstance;
import org.ringkernel.bridge.runtime.KernelState;
import org.ringkernel.bridge.testkit.TestKernels;

/**
 * {@code cuMemAlloc} and {@code cuMemFree} may wait for the device to go idle, which it never does while a
 * persistent kernel is resident; a launch loop stuck in one never completes its slot. So the backend takes all
 * its device memory in one allocation when it opens, and a request that finds the pool full waits for room
 * instead. A recording stand-in for the driver shows both, and that a failed launch gives its buffer back.
 */
class PoolOnlyDeviceMemoryTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Two requests of 60,000 floats in and out fill the 1 MiB arena; the pool holds three. */
    private static final int FLOATS = 60_000;
    /** The stand-in driver computes nothing and writes no output, which the output check would fail. */
    private static final InstanceSettings INSTANCE = TestKernels.settings(16, 1 << 20).withOutputCheck(OutputCheck.OFF);

    private final RecordingCudaDriver driver = new RecordingCudaDriver();
    private final CudaBackend backend = StandInDevice.open(driver, StandInDevice.settings(
            "ringkernel.memory.pool-size = 1536 KiB\nringkernel.kernel.arena-size = 1 MiB"));
    private final KernelDefinition heavy = StandInDevice.launched("heavy");

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void aRequestThatFindsThePoolFullWaitsForRoomInsteadOfAllocating() {
        backend.preload(List.of(heavy), 1);
        KernelInstance instance = started();
        DeviceMemoryPool pool = backend.pool();
        DeviceBuffer everything = pool.tryAllocate(pool.available());

        stage(instance, 0);
        awaitTrue(() -> pool.waiting() == 1, "the request waits for device memory");
        assertEquals(0, instance.channel().poll(completion -> { }, 1), "nothing completes while the pool is full");
        pool.free(everything);

        assertEquals(CompletionStatus.OK, next(instance).status());
        assertEquals(List.of("cuMemAlloc"), allocations(), "only the pool's own allocation");
        assertEquals(pool.size() - pool.reserved(), pool.available(), "every request buffer went back");
    }

    @Test
    void launchLoopsSharingASmallPoolAnswerEveryRequestWithoutAllocating() {
        backend.preload(List.of(heavy), 2);
        List<KernelInstance> instances = List.of(started(), started());

        List<CompletableFuture<List<CompletionStatus>>> runs = instances.stream()
                .map(instance -> CompletableFuture.supplyAsync(() -> roundTrips(instance, 10))).toList();

        for (CompletableFuture<List<CompletionStatus>> run : runs) {
            assertEquals(List.of(CompletionStatus.OK), run.join().stream().distinct().toList());
        }
        assertEquals(List.of("cuMemAlloc"), allocations(), "only the pool's own allocation");
        assertEquals(backend.pool().size() - backend.pool().reserved(), backend.pool().available());
    }

    @Test
    void aPoolTooSmallForTheConfiguredInstancesIsRefusedWithTheNumbers() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> backend.preload(List.of(heavy), 400));

        assertEquals("ringkernel.memory.pool-size holds 1572864 bytes, but the kernels need 1664512: 614400 bytes of "
                + "scratch kept by their instances ('heavy' 400 x 1536) and 1050112 bytes for the largest launch-path "
                + "request (ringkernel.kernel.arena-size 1048576 plus alignment); raise ringkernel.memory.pool-size to "
                + "at least 1664512", refused.getMessage());
    }

    @Test
    void aLaunchThatFailsGivesItsDeviceBufferBack() {
        backend.preload(List.of(heavy), 1);
        KernelInstance instance = started();
        DeviceMemoryPool pool = backend.pool();
        driver.failNext("cuLaunchKernel", CUresult.CUDA_ERROR_INVALID_VALUE);

        stage(instance, 0);

        assertEquals(KernelState.FAILED, instance.awaitState(s -> s == KernelState.FAILED, WAIT),
                "the launch error fails the instance, whose owner answers its requests");
        assertEquals(pool.size() - pool.reserved(), pool.available(), "the failed request's buffer went back");
    }

    @Test
    void memoryReportsWhatThePoolHandedOutAndTheWholeDevice() {
        backend.preload(List.of(heavy), 1);
        started();
        DeviceMemoryPool pool = backend.pool();

        DeviceMemory memory = backend.memory();

        assertEquals(new DeviceMemory.Usage(pool.reserved(), pool.size()), memory.kernels());
        assertEquals(Optional.of(new DeviceMemory.Usage(1L << 30, 80L << 30)), memory.device(),
                "cuMemGetInfo's free and total, as used and total");
    }

    private KernelInstance started() {
        KernelInstance instance = backend.launch(heavy, INSTANCE);
        assertEquals(KernelState.LAUNCHED, instance.awaitState(s -> s == KernelState.LAUNCHED, WAIT));
        instance.activate();
        return instance;
    }

    /** Sends {@code rounds} batches of two requests, one batch at a time; the statuses of all. */
    private List<CompletionStatus> roundTrips(KernelInstance instance, int rounds) {
        List<CompletionStatus> statuses = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            stage(instance, 2L * round);
            stage(instance, 2L * round + 1);
            statuses.add(next(instance).status());
            statuses.add(next(instance).status());
        }
        return statuses;
    }

    private static void stage(KernelInstance instance, long id) {
        float[] values = new float[FLOATS];
        IntStream.range(0, FLOATS).forEach(i -> values[i] = i);
        assertTrue(instance.channel().stage(id, instance.definition().bind(KernelRequest.of(Tensor.of(values)))),
                "room in the ring for request " + id);
        instance.channel().publish();
    }

    private static Completion next(KernelInstance instance) {
        List<Completion> read = new ArrayList<>();
        awaitTrue(() -> instance.channel().poll(read::add, 1) == 1, "a completion");
        return read.get(0);
    }

    private List<String> allocations() {
        return driver.calls().stream().filter(call -> call.equals("cuMemAlloc") || call.equals("cuMemFree")).toList();
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() - deadline < 0, "timed out waiting for " + what);
            Thread.onSpinWait();
        }
    }
}
