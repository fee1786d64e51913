package org.ringkernel.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.actors.ActorTestSupport.failure;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.FishingOutcome;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.event.Logging;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * The backend chosen and a kernel's failure are published on Pekko's event stream, so they reach whatever loggers
 * the application configured for Pekko, and stdout where SLF4J would swallow them.
 */
class EventStreamLogTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ActorTestKit testKit = ActorTestSupport.testKit("ringkernel.backend = cpu\n"
            + "ringkernel.kernels.start = []\n"
            + "ringkernel.supervision.retry-in-flight = off");

    @AfterEach
    void shutdown() {
        testKit.shutdownTestKit();
    }

    private TestProbe<Logging.LogEvent> subscribed() {
        TestProbe<Logging.LogEvent> probe = testKit.createTestProbe();
        testKit.system().classicSystem().eventStream().subscribe(Adapter.toClassic(probe.ref()), Logging.LogEvent.class);
        return probe;
    }

    private static void fish(TestProbe<Logging.LogEvent> probe, Class<? extends Logging.LogEvent> level,
                             String source, String start) {
        probe.fishForMessage(WAIT, "a " + level.getSimpleName() + " from " + source + " starting '" + start + "'",
                event -> level.isInstance(event) && event.logClass().getSimpleName().equals(source)
                        && String.valueOf(event.message()).startsWith(start)
                        ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
    }

    @Test
    void theBackendChoiceReachesTheEventStream() {
        TestProbe<Logging.LogEvent> probe = subscribed();

        RingKernels.get(testKit.system());

        fish(probe, Logging.Info.class, "RingKernels", "ringkernel backend cpu (cpu requested)");
    }

    @Test
    void aKernelFailureReachesTheEventStream() {
        RingKernels kernels = RingKernels.get(testKit.system());
        TestProbe<Logging.LogEvent> probe = subscribed();
        KernelDefinition failing = KernelDefinition.elementwise("breaks").describedAs("always throws")
                .cpu(call -> {
                    throw new ArithmeticException("broken on purpose");
                }).build();

        KernelRequestException answer = failure(kernels.register(failing).process(KernelRequest.of(Tensor.of(1f))));

        assertEquals(ErrorCode.KERNEL_FAILED, answer.code());
        fish(probe, Logging.Warning.class, "KernelActor", "kernel 'breaks' instance 0 failed and is being restarted");
    }

    @Test
    void linesAreEchoedToStdoutOnlyWhereSlf4jWouldSwallowThem() {
        // A typed system hands Pekko's log events to SLF4J: without a provider they would vanish.
        assertTrue(EventStreamLog.echoesToStdout(false, testKit.system().settings().config()));
        assertFalse(EventStreamLog.echoesToStdout(true, testKit.system().settings().config()));
        assertTrue(EventStreamLog.slf4jProvided(), "the tests have logback");
        assertFalse(EventStreamLog.echoesToStdout(false, ConfigFactory.parseString(
                "pekko.loggers = [\"org.apache.pekko.event.Logging$DefaultLogger\"]")));
    }
}
