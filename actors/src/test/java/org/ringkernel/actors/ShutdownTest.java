package org.ringkernel.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.actors.ActorTestSupport.await;
import static org.ringkernel.actors.ActorTestSupport.awaitTrue;
import static org.ringkernel.actors.ActorTestSupport.counters;
import static org.ringkernel.actors.ActorTestSupport.failure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.testkit.TestPublisher;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.stream.testkit.javadsl.TestSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringkernel.actors.stream.FlowSettings;
import org.ringkernel.actors.stream.KernelFlows;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * When the actor system terminates, requests are answered {@code UNAVAILABLE} at once, whether the kernel held
 * them or they come later, and the extension hands out no kernels. The requests' own deadline is a minute, so a
 * request left to time out would outlast every wait here. A phase of coordinated shutdown of the tests' own, after
 * the kernels begin to refuse requests and before the actors stop, lets a test send requests then.
 */
class ShutdownTest {
    private static final Duration LONG_DEADLINE = Duration.ofSeconds(60);
    private static final KernelRequest REQUEST = KernelRequest.of(Tensor.of(1f, 2f));

    private static final String AFTER_REFUSAL = "ringkernel-test-after-refusal";
    private final ActorTestKit testKit = ActorTestSupport.testKit("ringkernel.backend = cpu\n"
            + "ringkernel.kernels.start = []\n"
            + "pekko.coordinated-shutdown.phases." + AFTER_REFUSAL + ".depends-on = [before-actor-system-terminate]\n"
            + "pekko.coordinated-shutdown.phases.actor-system-terminate.depends-on = [" + AFTER_REFUSAL + "]");
    private final Semaphore gate = new Semaphore(0);

    @AfterEach
    void shutdown() {
        gate.release(100);
        testKit.shutdownTestKit();
    }

    private KernelRef heldKernel() {
        return RingKernels.get(testKit.system()).register(TestKernels.gated("held", gate));
    }

    private void terminate() throws Exception {
        testKit.system().terminate();
        await(testKit.system().getWhenTerminated());
    }

    private static void assertShuttingDown(KernelRequestException e) {
        assertInstanceOf(KernelUnavailableException.class, e, e.toString());
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("the actor system is shutting down"), e.getMessage());
        assertTrue(e.getMessage().contains("'held'"), e.getMessage());
    }

    @Test
    void aRequestInFlightWhenTheSystemTerminatesIsAnsweredUnavailable() throws Exception {
        KernelRef kernel = heldKernel();
        CompletionStage<KernelResult> inFlight = kernel.process(REQUEST, LONG_DEADLINE);
        awaitTrue(() -> counters(kernel, 0).inFlight() == 1, "the request is in the kernel's ring");

        testKit.system().terminate();

        assertShuttingDown(failure(inFlight));
    }

    @Test
    void aRequestAfterTerminationFailsAtOnce() throws Exception {
        KernelRef kernel = heldKernel();
        terminate();

        assertShuttingDown(failure(kernel.process(REQUEST, LONG_DEADLINE)));
    }

    @Test
    void theExtensionHandsOutNoKernelAfterTermination() throws Exception {
        RingKernels kernels = RingKernels.get(testKit.system());
        kernels.kernel("square");
        terminate();

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> kernels.kernel("square"));
        assertEquals("actor system '" + testKit.system().name() + "' has terminated; RingKernels hands out no kernels"
                + " on it", e.getMessage());
        assertThrows(IllegalStateException.class, () -> RingKernels.get(testKit.system()).kernel("echo"));
    }

    @Test
    void aFlowAnswersAnElementUnavailableAtOnceOnceTheKernelsRefuseRequests() throws Exception {
        KernelRef kernel = heldKernel();
        Pair<TestPublisher.Probe<KernelRequest>, TestSubscriber.Probe<KernelResult>> flow =
                TestSource.<KernelRequest>create(testKit.system())
                        .via(KernelFlows.unordered(kernel, FlowSettings.of(4).withTimeout(LONG_DEADLINE)))
                        .toMat(TestSink.create(testKit.system()), Keep.both())
                        .run(testKit.system());
        flow.second().request(4);
        flow.first().sendNext(REQUEST);
        awaitTrue(() -> counters(kernel, 0).inFlight() == 1, "the first element is in the kernel's ring");
        CompletableFuture<Done> refusing = new CompletableFuture<>();
        CompletableFuture<Done> checked = new CompletableFuture<>();
        CoordinatedShutdown shutdown = CoordinatedShutdown.get(testKit.system());
        shutdown.addTask(AFTER_REFUSAL, "send-while-refusing", () -> {
            refusing.complete(Done.getInstance());
            return checked;
        });
        shutdown.runAll(CoordinatedShutdown.unknownReason());
        await(refusing);

        try {
            assertShuttingDown(kernel.refusal().orElseThrow());
            flow.first().sendNext(REQUEST);
            KernelResult refused = flow.second().expectNext(Duration.ofSeconds(10));
            assertShuttingDown((KernelRequestException) refused.error().orElseThrow());
            assertEquals(REQUEST, refused.request());
        } finally {
            checked.complete(Done.getInstance());
        }
    }
}
