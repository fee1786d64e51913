package org.ringkernel.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.actors.ActorTestSupport.await;
import static org.ringkernel.actors.ActorTestSupport.awaitTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * The watchdog asks for progress, not only a heartbeat: a kernel whose worker is stuck while its loop still
 * beats is failed and restarted, and every request it held is answered once.
 */
class WatchdogProgressTest {
    private static final int REQUESTS = 8;
    /** Far beyond the watchdog's timeout, so only the watchdog can end the requests held by the stall. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

    private ActorTestKit testKit;

    @AfterEach
    void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void aStalledWorkerWhoseHeartbeatGoesOnIsFailedForLackOfProgressAndRestarted() throws Exception {
        testKit = ActorTestSupport.testKit("""
                ringkernel.kernels.start = [square]
                ringkernel.debug.fault-injection = on
                ringkernel.supervision.watchdog-timeout = 300ms
                """);
        RingKernels kernels = RingKernels.get(testKit.system());
        KernelRef square = kernels.kernel("square");
        awaitTrue(() -> square.info().phase() == InstanceStatus.Phase.ACTIVE, "square is active");
        await(kernels.faults().stallWorker("square", 0));

        AtomicIntegerArray counts = new AtomicIntegerArray(REQUESTS);
        AtomicReferenceArray<StatusReply<KernelResult>> replies = new AtomicReferenceArray<>(REQUESTS);
        for (int id = 0; id < REQUESTS; id++) {
            square.ref().tell(new KernelCommand.Process(KernelRequest.of(Tensor.of((float) id)), REQUEST_TIMEOUT,
                    testKit.spawn(counter(id, counts, replies))));
        }

        awaitTrue(() -> answered(counts) == REQUESTS, "every request is answered");
        int stalled = 0;
        for (int id = 0; id < REQUESTS; id++) {
            assertEquals(1, counts.get(id), "replies to request " + id);
            StatusReply<KernelResult> reply = replies.get(id);
            if (reply.isSuccess()) {
                // It was still waiting for a ring slot when the instance failed, and ran on the new one.
                assertArrayEquals(new float[] {(float) id * id}, reply.getValue().output().data(), "request " + id);
                continue;
            }
            stalled++;
            assertInstanceOf(KernelFailedException.class, reply.getError(), "request " + id);
            String message = reply.getError().getMessage();
            assertTrue(message.startsWith("kernel 'square' instance 0 failed and is being restarted: it made no "
                    + "progress: "), message);
            assertTrue(message.contains(" requests in flight, heartbeat alive, no request completed and no batch "
                    + "finished for "), message);
        }
        assertTrue(stalled > 0, "the stalled batch's requests failed");
        // The instance reports its restart to the supervisor after answering, so the listing may lag the answers.
        awaitTrue(() -> square.info().instances().get(0).restarts() > 0, "the restart is reported");
        assertEquals(1, square.info().instances().get(0).restarts(), "the watchdog restarted the instance once");
        awaitTrue(() -> square.info().phase() == InstanceStatus.Phase.ACTIVE, "square is active again");
        assertArrayEquals(new float[] {9f}, await(square.process(KernelRequest.of(Tensor.of(3f)))).output().data(),
                "the restarted kernel answers");
    }

    private static Behavior<StatusReply<KernelResult>> counter(int id, AtomicIntegerArray counts,
                                                               AtomicReferenceArray<StatusReply<KernelResult>> replies) {
        return Behaviors.receive((context, reply) -> {
            counts.incrementAndGet(id);
            replies.set(id, reply);
            return Behaviors.same();
        });
    }

    private static int answered(AtomicIntegerArray counts) {
        int answered = 0;
        for (int i = 0; i < counts.length(); i++) {
            answered += counts.get(i) > 0 ? 1 : 0;
        }
        return answered;
    }
}
