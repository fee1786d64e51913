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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * When the actor system terminates, requests are answered {@code UNAVAILABLE} at once, whether the kernel held
 * them or they come later, and the extension hands out no kernels. The requests' own deadline is a minute, so a
 * request left to time out would outlast every wait here.
 */
class ShutdownTest {
    private static final Duration LONG_DEADLINE = Duration.ofSeconds(60);
    private static final KernelRequest REQUEST = KernelRequest.of(Tensor.of(1f, 2f));

    private final ActorTestKit testKit = ActorTestSupport.testKit("ringkernel.backend = cpu\n"
            + "ringkernel.kernels.start = []");
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
}
