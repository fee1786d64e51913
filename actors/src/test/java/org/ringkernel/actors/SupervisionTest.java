package org.ringkernel.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.actors.ActorTestSupport.await;
import static org.ringkernel.actors.ActorTestSupport.awaitTrue;
import static org.ringkernel.actors.ActorTestSupport.failure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/** Failures of kernels and devices, and the limits on held work: each ends in a clear answer. */
class SupervisionTest {
    private ActorTestKit testKit;
    private final Semaphore gate = new Semaphore(0);

    private RingKernels start(String hocon) {
        testKit = ActorTestSupport.testKit("ringkernel.kernels.start = [square]\n"
                + "ringkernel.debug.fault-injection = on\n" + hocon);
        return RingKernels.get(testKit.system());
    }

    @AfterEach
    void stop() {
        gate.release(1_000);
        testKit.shutdownTestKit();
    }

    private static KernelRequest three() {
        return KernelRequest.of(Tensor.of(3f));
    }

    private static void awaitActive(KernelRef kernel) {
        awaitTrue(() -> kernel.info().phase() == InstanceStatus.Phase.ACTIVE, kernel.id() + " is active");
    }

    @Test
    void aHungKernelIsFoundByTheWatchdogAndRestarted() throws Exception {
        RingKernels kernels = start("ringkernel.supervision.watchdog-timeout = 300ms");
        KernelRef square = kernels.kernel("square");
        awaitActive(square);
        await(kernels.faults().hangNextBatch("square", 0));

        KernelRequestException e = failure(square.process(three()));
        assertInstanceOf(KernelFailedException.class, e);
        assertTrue(e.getMessage().startsWith("kernel 'square' instance 0 failed and is being restarted: it hung: its "
                + "heartbeat stood still for "), e.getMessage());

        assertArrayEquals(new float[] {9f}, await(square.process(three())).output().data(), "the restarted kernel answers");
        assertEquals(1, square.info().instances().get(0).restarts());
    }

    @Test
    void exhaustingTheRestartBudgetMakesTheKernelUnavailableUntilItIsRetried() throws Exception {
        RingKernels kernels = start("""
                ringkernel.supervision { max-restarts = 1, restart-min-backoff = 10ms, unavailable-retry-after = 500ms }
                """);
        KernelRef square = kernels.kernel("square");
        for (int failure = 0; failure < 2; failure++) {
            int restarts = failure;
            awaitTrue(() -> square.info().phase() == InstanceStatus.Phase.ACTIVE
                    && square.info().instances().get(0).restarts() == restarts, "square is active again");
            await(kernels.faults().failNextBatch("square", 0));
            assertInstanceOf(KernelFailedException.class, failure(square.process(three())));
        }

        KernelRequestException unavailable = failure(square.process(three()));
        assertInstanceOf(KernelUnavailableException.class, unavailable);
        assertTrue(unavailable.getMessage().startsWith("kernel 'square' instance 0 is unavailable: it failed more than 1 "
                + "times within 60 s (last: the kernel's implementation failed while processing a batch"),
                unavailable.getMessage());
        assertTrue(unavailable.getMessage().endsWith("it is tried again 500 ms after it became unavailable"),
                unavailable.getMessage());
        awaitTrue(() -> !kernels.readiness().ready(), "readiness reports the unavailable kernel");
        Readiness readiness = kernels.readiness();
        assertTrue(readiness.problems().get(0).startsWith("kernel 'square' is unavailable: the kernel's implementation"),
                readiness.problems().toString());

        awaitActive(square);
        assertArrayEquals(new float[] {9f}, await(square.process(three())).output().data(), "recovered after the retry");
        assertTrue(kernels.readiness().ready());
    }

    @Test
    void aDeviceFailureRestartsEveryKernelAndFailsWhatWasInFlight() throws Exception {
        RingKernels kernels = start("");
        KernelRef gated = kernels.register(TestKernels.gated("gated", gate));
        KernelRef square = kernels.kernel("square");
        awaitActive(gated);
        CompletionStage<KernelResult> held = gated.process(three());
        awaitTrue(() -> gated.info().instances().get(0).counters().inFlight() == 1, "the request is in the ring");

        await(kernels.faults().failDevice("drill"));

        KernelRequestException e = failure(held);
        assertInstanceOf(KernelFailedException.class, e);
        assertTrue(e.getMessage().endsWith("its device restarted (drill)"), e.getMessage());
        gate.release(10);
        assertArrayEquals(new float[] {-3f}, await(gated.process(three())).output().data());
        assertArrayEquals(new float[] {9f}, await(square.process(three())).output().data());
    }

    @Test
    void pastTheRingAndTheWaitQueueRequestsAreOverloadedAtOnce() throws Exception {
        RingKernels kernels = start("ringkernel { queue-capacity = 4, kernel.max-batch-size = 4, max-wait-queue = 2,"
                + " batching.max-batch-size = 4 }");
        KernelRef gated = kernels.register(TestKernels.gated("gated", gate));
        List<CompletionStage<KernelResult>> accepted = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            accepted.add(gated.process(three()));
        }

        KernelRequestException e = failure(gated.process(three()));
        assertInstanceOf(OverloadedException.class, e);
        assertEquals("kernel 'gated' is overloaded: 4 requests in its ring and 2 waiting; retry later", e.getMessage());

        gate.release(100);
        for (CompletionStage<KernelResult> result : accepted) {
            assertArrayEquals(new float[] {-3f}, await(result).output().data());
        }
    }

    @Test
    void aRequestPastItsDeadlineIsAnsweredWithATimeout() throws Exception {
        RingKernels kernels = start("");
        KernelRef gated = kernels.register(TestKernels.gated("gated", gate));

        KernelRequestException e = failure(gated.process(three(), Duration.ofMillis(100)));
        assertInstanceOf(RequestTimeoutException.class, e);
        assertTrue(e.getMessage().startsWith("kernel 'gated': no result within 100 ms (the request spent "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" ms in the kernel)"), e.getMessage());

        gate.release(10);
        assertArrayEquals(new float[] {-3f}, await(gated.process(three())).output().data());
    }

    @Test
    void registeringAnExistingIdIsRefused() {
        RingKernels kernels = start("");
        kernels.register(TestKernels.negate("negate"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> kernels.register(TestKernels.negate("negate")));
        assertEquals("a kernel 'negate' exists already", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> kernels.register(TestKernels.negate("square")));
    }

    @Test
    void faultInjectionIsOffUnlessConfigured() {
        testKit = ActorTestSupport.testKit("ringkernel.kernels.start = []");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RingKernels.get(testKit.system()).faults());
        assertEquals("fault injection is off; set ringkernel.debug.fault-injection = on to use it", e.getMessage());
    }
}
