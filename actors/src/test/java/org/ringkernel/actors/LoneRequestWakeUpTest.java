package org.ringkernel.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.ringkernel.actors.ActorTestSupport.await;

import java.time.Duration;
import java.util.Arrays;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * Lone requests, one at a time, through the actors to an idle CPU kernel whose loop and completion poller both
 * park as soon as they are idle (no spins, no yields), so every request must wake both. A wake-up either of them
 * slept through would cost a round trip of up to the long maximum park. The round trips are printed, not
 * asserted, since a loaded machine stretches them.
 */
class LoneRequestWakeUpTest {
    private static final int REQUESTS = 2_000;
    private static final Duration MAX_PARK = Duration.ofMillis(200);

    private ActorTestKit testKit;

    @AfterEach
    void stop() {
        if (testKit != null) {
            testKit.shutdownTestKit();
        }
    }

    @Test
    void everyLoneRequestIsAnswered() throws Exception {
        String parking = "{ spin-iterations = 0, yield-iterations = 0, max-park = " + MAX_PARK.toMillis() + "ms }";
        testKit = ActorTestSupport.testKit("""
                ringkernel.backend = cpu
                ringkernel.kernels { start = [square], instances = 1 }
                """ + "ringkernel.kernel.idle = " + parking + "\nringkernel.poller.idle = " + parking);
        KernelRef square = RingKernels.get(testKit.system()).kernel("square");
        long[] roundTrips = new long[REQUESTS];
        for (int id = 0; id < REQUESTS; id++) {
            long start = System.nanoTime();
            KernelResult result = await(square.process(KernelRequest.of(Tensor.of(id))));
            roundTrips[id] = System.nanoTime() - start;
            assertArrayEquals(new float[] {(float) id * id}, result.output().data(), "request " + id);
        }
        System.out.println("lone requests through the actors to a parked CPU kernel: " + summary(roundTrips));
    }

    /** p50, p99, max, and how many round trips took over half the maximum park. */
    private static String summary(long[] roundTrips) {
        long[] sorted = roundTrips.clone();
        Arrays.sort(sorted);
        long slow = Arrays.stream(sorted).filter(n -> n > MAX_PARK.toNanos() / 2).count();
        return String.format("%d round trips, p50 %d us, p99 %d us, max %d us, %d over %d ms", sorted.length,
                sorted[sorted.length / 2] / 1_000, sorted[sorted.length * 99 / 100] / 1_000,
                sorted[sorted.length - 1] / 1_000, slow, MAX_PARK.toMillis() / 2);
    }
}
