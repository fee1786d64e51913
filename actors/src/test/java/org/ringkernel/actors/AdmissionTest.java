package org.ringkernel.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.actors.ActorTestSupport.await;
import static org.ringkernel.actors.ActorTestSupport.failure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * Admission by expected wait: a kernel that takes at least 50 ms per request (one request per batch, a ring of
 * four) has its drain rate measured on its first requests; then, with the kernel held, requests that find the
 * ring full and whose turn would come later than the queue-time budget, or whose own deadline would pass, are
 * answered overloaded at once, while the others are served.
 */
class AdmissionTest {
    private static final Duration BATCH_TIME = Duration.ofMillis(50);
    private static final int RING = 4;
    private ActorTestKit testKit;
    private final Semaphore gate = new Semaphore(0);

    private KernelRef slowKernel(String maxQueueTime) throws Exception {
        testKit = ActorTestSupport.testKit("""
                ringkernel {
                  kernels.start = []
                  queue-capacity = %d
                  kernel.max-batch-size = 1
                  batching.max-batch-size = 1
                  batching.mode = off
                  request-timeout = 30s
                  supervision.watchdog-timeout = 60s
                  max-queue-time = %s
                }
                """.formatted(RING, maxQueueTime));
        KernelRef kernel = RingKernels.get(testKit.system()).register(TestKernels.slowGated("slow", gate, BATCH_TIME));
        for (int i = 0; i <= DrainRate.WARM_UP; i++) {
            gate.release(1);
            assertArrayEquals(new float[] {-3f}, await(kernel.process(three())).output().data(),
                    "the first requests, with nothing measured yet, are admitted; the last measures the drain rate");
        }
        return kernel;
    }

    @AfterEach
    void stop() {
        gate.release(1_000);
        testKit.shutdownTestKit();
    }

    private static KernelRequest three() {
        return KernelRequest.of(Tensor.of(3f));
    }

    @Test
    void requestsExpectedToWaitPastTheBudgetAreOverloadedAtOnceAndTheOthersServed() throws Exception {
        KernelRef kernel = slowKernel("200ms");
        List<CompletionStage<KernelResult>> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sent.add(kernel.process(three()));
        }

        // The first four go into the ring; at 50 ms or more a request, each later one finds the ring full with at
        // least 200 ms of work ahead of it. The gate is shut, so any answer now was given without waiting for the kernel.
        KernelRequestException e = failure(sent.get(9));
        assertInstanceOf(OverloadedException.class, e);
        assertTrue(e.getMessage().startsWith("kernel 'slow' is overloaded: a new request would wait about "),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("over the queue-time budget ringkernel.max-queue-time of 200 ms; retry later"),
                e.getMessage());
        assertEquals(0, gate.availablePermits(), "no batch was let through before the answer");

        gate.release(1_000);
        assertArrayEquals(new float[] {-3f}, await(sent.get(0)).output().data(), "the request within budget is served");
        int served = 0;
        for (CompletionStage<KernelResult> result : sent) {
            try {
                await(result);
                served++;
            } catch (ExecutionException overloaded) {
                assertInstanceOf(OverloadedException.class, overloaded.getCause());
            }
        }
        assertTrue(served >= RING && served <= RING + 1, "served " + served + " of 10");
    }

    @Test
    void requestsThatGoStraightIntoTheRingAreNotRefusedForTheBudgetHoweverSlowTheDrain() throws Exception {
        KernelRef kernel = slowKernel("10ms");
        List<CompletionStage<KernelResult>> sent = new ArrayList<>();
        for (int i = 0; i <= RING; i++) {
            sent.add(kernel.process(three()));
        }

        // The ring bounds the wait of what is in it already: the fifth finds it full, 200 ms and more of work ahead.
        KernelRequestException e = failure(sent.get(RING));
        assertInstanceOf(OverloadedException.class, e);
        assertTrue(e.getMessage().endsWith("over the queue-time budget ringkernel.max-queue-time of 10 ms; retry later"),
                e.getMessage());
        gate.release(1_000);
        for (int i = 0; i < RING; i++) {
            assertArrayEquals(new float[] {-3f}, await(sent.get(i)).output().data(), "request " + i + " is served");
        }
    }

    @Test
    void aRequestWhoseDeadlineWouldPassInTheQueueIsOverloadedAtOnce() throws Exception {
        KernelRef kernel = slowKernel("10s");
        CompletionStage<KernelResult> held = kernel.process(three());

        KernelRequestException e = failure(kernel.process(three(), Duration.ofMillis(40)));
        assertInstanceOf(OverloadedException.class, e);
        assertTrue(e.getMessage().endsWith("longer than its deadline of 40 ms; retry later"), e.getMessage());
        assertEquals(0, gate.availablePermits(), "no batch was let through before the answer");

        gate.release(1_000);
        assertArrayEquals(new float[] {-3f}, await(held).output().data());
    }
}
