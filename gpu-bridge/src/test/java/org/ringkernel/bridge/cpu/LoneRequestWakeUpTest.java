package org.ringkernel.bridge.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.clock.HybridLogicalClock;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.runtime.Completion;
import org.ringkernel.bridge.runtime.CompletionStatus;
import org.ringkernel.bridge.runtime.InstanceSettings;
import org.ringkernel.bridge.runtime.InstanceSettings.IdleSettings;
import org.ringkernel.bridge.runtime.KernelInstance;
import org.ringkernel.bridge.runtime.KernelState;
import org.ringkernel.bridge.testkit.TestKernels;

/**
 * Lone requests, one at a time, to a CPU kernel loop that parks as soon as it is idle (no spins, no yields): every
 * one must wake it. A wake-up the loop slept through would cost a round trip of up to its long maximum park. The
 * round trips are printed, not asserted, since a loaded machine stretches them.
 */
class LoneRequestWakeUpTest {
    private static final int REQUESTS = 2_000;
    private static final Duration MAX_PARK = Duration.ofMillis(200);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final CpuBackend backend = new CpuBackend(HybridLogicalClock.system(), WAIT);

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    @Test
    void everyLoneRequestWakesTheParkedLoop() {
        InstanceSettings parking = new InstanceSettings(16, 1 << 16, 16, true, new IdleSettings(0, 0, MAX_PARK));
        KernelInstance instance = backend.launch(TestKernels.scale(), parking);
        assertEquals(KernelState.LAUNCHED, instance.awaitState(s -> s == KernelState.LAUNCHED, WAIT));
        instance.activate();
        long[] roundTrips = new long[REQUESTS];
        List<Completion> read = new ArrayList<>();
        for (int id = 0; id < REQUESTS; id++) {
            long start = System.nanoTime();
            assertTrue(instance.channel().stage(id, instance.definition().bind(KernelRequest.of(Tensor.of(1f, 2f)))),
                    "room in the ring");
            instance.channel().publish();
            long deadline = start + WAIT.toNanos();
            while (instance.channel().poll(read::add, 1) == 0) {
                assertTrue(System.nanoTime() - deadline < 0, "request " + id + " is answered");
                Thread.onSpinWait();
            }
            roundTrips[id] = System.nanoTime() - start;
            Completion completion = read.remove(0);
            assertEquals(id, completion.requestId());
            assertEquals(CompletionStatus.OK, completion.status(), "request " + id);
        }
        System.out.println("lone requests to a parked CPU loop: " + summary(roundTrips, MAX_PARK));
    }

    /** p50, p99, max, and how many round trips took over half the maximum park. */
    private static String summary(long[] roundTrips, Duration maxPark) {
        long[] sorted = roundTrips.clone();
        Arrays.sort(sorted);
        long slow = Arrays.stream(sorted).filter(n -> n > maxPark.toNanos() / 2).count();
        return String.format("%d round trips, p50 %d us, p99 %d us, max %d us, %d over %d ms", sorted.length,
                sorted[sorted.length / 2] / 1_000, sorted[sorted.length * 99 / 100] / 1_000,
                sorted[sorted.length - 1] / 1_000, slow, maxPark.toMillis() / 2);
    }
}
