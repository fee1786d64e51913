package org.ringkernel.bridge.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.clock.HybridLogicalClock;
import org.ringkernel.bridge.kernel.BoundRequest;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.ring.ControlBlock;
import org.ringkernel.bridge.ring.KernelMemoryLayout;
import org.ringkernel.bridge.ring.SharedMemory;
import org.ringkernel.bridge.runtime.Completion;
import org.ringkernel.bridge.runtime.CompletionStatus;
import org.ringkernel.bridge.runtime.ExecutionPath;
import org.ringkernel.bridge.runtime.KernelInstance;
import org.ringkernel.bridge.runtime.RequestPump;
import org.ringkernel.bridge.testkit.LaunchPathDevice;
import org.ringkernel.bridge.testkit.TestKernels;

/**
 * The launch path beside a persistent kernel, on the host side, with a CPU executor in place of the GPU launch:
 * every flagged request is computed and completed on its own K2H slot, marked as the launch path, a failing one
 * completes with a kernel error, and stopping waits for the request under way.
 */
class HostLaunchesTest {
    private static final int CAPACITY = 16;
    private static final int ARENA = 1 << 16;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final KernelMemoryLayout layout = KernelMemoryLayout.of(CAPACITY, ARENA);
    private final ByteBuffer memory = SharedMemory.allocateAligned(layout.totalLength());
    private final AtomicBoolean released = new AtomicBoolean();
    private HostLaunches launches;

    @AfterEach
    void stop() throws InterruptedException {
        assertTrue(launches.stop(WAIT.toMillis()), "the launch thread stops");
        launches.release();
        assertTrue(released.get(), "the executor's resources are given back");
    }

    private KernelInstance instanceRunning(KernelDefinition kernel) {
        new ControlBlock(memory, 0).hostInitialize(CAPACITY, CAPACITY, layout.arenaLength(), 0);
        launches = new HostLaunches("kernel 'test' instance 1", kernel.cpu(), () -> released.set(true), memory, layout,
                HybridLogicalClock.system());
        return new KernelInstance(kernel, 1, memory, layout, TestKernels.settings(CAPACITY, ARENA),
                HybridLogicalClock.system(), LaunchPathDevice.launchingEverything(launches::submit));
    }

    private static BoundRequest request(KernelDefinition kernel, float first, int size) {
        float[] data = new float[size];
        for (int i = 0; i < size; i++) {
            data[i] = first + i;
        }
        return kernel.bind(KernelRequest.of(Tensor.of(data)));
    }

    @Test
    void flaggedRequestsAreComputedAndCompletedOnTheLaunchPath() throws Exception {
        KernelDefinition scale = TestKernels.scale();
        KernelInstance instance = instanceRunning(scale);
        List<BoundRequest> requests = new ArrayList<>();
        for (int r = 0; r < CAPACITY; r++) {
            requests.add(request(scale, r, 1 + r * 7));
        }

        List<Completion> done = RequestPump.run(instance, requests, WAIT);

        for (int r = 0; r < CAPACITY; r++) {
            Completion completion = done.get(r);
            assertEquals(CompletionStatus.OK, completion.status(), "request " + r);
            assertEquals(ExecutionPath.LAUNCH, completion.path(), "request " + r);
            assertEquals(1, completion.batchSize());
            Tensor y = completion.outputs().get(0);
            for (int i = 0; i < y.size(); i++) {
                assertEquals(2f * (r + i), y.get(i), "request " + r + " element " + i);
            }
        }
    }

    @Test
    void aRequestTheExecutorFailsCompletesWithAKernelErrorAndTheOthersStillRun() throws Exception {
        KernelDefinition fragile = TestKernels.failingOnNegative();
        KernelInstance instance = instanceRunning(fragile);

        List<Completion> done = RequestPump.run(instance,
                List.of(request(fragile, 1, 4), request(fragile, -1, 4), request(fragile, 3, 4)), WAIT);

        assertEquals(CompletionStatus.OK, done.get(0).status());
        assertEquals(CompletionStatus.KERNEL_ERROR, done.get(1).status());
        assertEquals(CompletionStatus.OK, done.get(2).status());
        assertEquals(6f, done.get(2).outputs().get(0).get(0));
    }
}
