package org.ringkernel.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import kamon.trace.Span$Empty$;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.runtime.Completion;
import org.ringkernel.bridge.runtime.CompletionStatus;
import org.ringkernel.bridge.runtime.ExecutionPath;

/** Which requests the completion poller answers itself, and that it never answers one somebody else did. */
class DirectAnswersTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final KernelDefinition negate = TestKernels.negate("negate");
    private ActorTestKit testKit;
    private TestProbe<TaggedResults> stream;
    private TestProbe<StatusReply<KernelResult>> asker;
    private DirectAnswers answers;
    private long nextId;

    @BeforeEach
    void start() {
        testKit = ActorTestKit.create();
        stream = testKit.createTestProbe();
        asker = testKit.createTestProbe();
        answers = new DirectAnswers("negate", "cpu", 4);
    }

    @AfterEach
    void stop() {
        testKit.shutdownTestKit();
    }

    private PendingRequest grouped(float value, long tag) {
        KernelRequest request = KernelRequest.of(Tensor.of(value));
        return pending(request, new KernelCommand.ProcessGrouped(request, TIMEOUT, tag, stream.ref(), RequestTrace.NONE));
    }

    private PendingRequest asked(float value) {
        KernelRequest request = KernelRequest.of(Tensor.of(value));
        return pending(request, new KernelCommand.Process(request, TIMEOUT, asker.ref()));
    }

    private PendingRequest pending(KernelRequest request, KernelCommand.Computing command) {
        long now = System.nanoTime();
        PendingRequest pending = new PendingRequest(nextId++, negate.bind(request), command, now,
                now + TIMEOUT.toNanos(), Span$Empty$.MODULE$);
        pending.publishedNanos = now;
        answers.handOver(pending);
        return pending;
    }

    private static Completion ok(PendingRequest pending, float result) {
        return new Completion(pending.id, CompletionStatus.OK, List.of(Tensor.of(result)), 0, 0, 1, ExecutionPath.RING,
                0, "");
    }

    @Test
    void aStreamsCompletedRequestsAreAnsweredInOneGroupPerPoll() {
        PendingRequest first = grouped(1f, 10);
        PendingRequest second = grouped(2f, 11);

        answers.answer(List.of(ok(first, -1f), ok(second, -2f)), System.nanoTime());

        TaggedResults group = stream.receiveMessage();
        assertEquals(2, group.results().size());
        assertEquals(10, group.results().get(0).tag());
        assertArrayEquals(new float[] {-2f}, group.results().get(1).result().output().data());
        assertEquals(PendingRequest.DIRECTLY, first.state());
        assertEquals(PendingRequest.DIRECTLY, second.state());
    }

    @Test
    void aRequestItsActorAnsweredAlreadyIsNotAnsweredAgain() {
        PendingRequest timedOut = grouped(1f, 1);
        PendingRequest withdrawn = grouped(2f, 2);
        PendingRequest open = grouped(3f, 3);
        assertEquals(true, timedOut.claim(PendingRequest.BY_ACTOR));
        assertEquals(true, withdrawn.claim(PendingRequest.WITHDRAWN));

        answers.answer(List.of(ok(timedOut, -1f), ok(withdrawn, -2f), ok(open, -3f)), System.nanoTime());

        TaggedResults group = stream.receiveMessage();
        assertEquals(1, group.results().size());
        assertEquals(3, group.results().get(0).tag());
        assertEquals(PendingRequest.BY_ACTOR, timedOut.state());
        assertEquals(PendingRequest.WITHDRAWN, withdrawn.state());
        assertEquals(false, open.claim(PendingRequest.BY_ACTOR), "the actor can no longer answer it");
    }

    @Test
    void errorsAndAsksAreLeftToTheActor() {
        PendingRequest failed = grouped(1f, 1);
        PendingRequest ask = asked(2f);

        answers.answer(List.of(new Completion(failed.id, CompletionStatus.KERNEL_ERROR, List.of(), 0, 0, 2,
                ExecutionPath.RING, 0, ""), ok(ask, -2f)), System.nanoTime());

        stream.expectNoMessage(Duration.ofMillis(50));
        asker.expectNoMessage(Duration.ofMillis(50));
        assertEquals(PendingRequest.OPEN, failed.state());
        assertEquals(PendingRequest.OPEN, ask.state());
    }

    @Test
    void aCompletionOfAnotherRequestSwitchesDirectAnswersOffForTheInstance() {
        PendingRequest first = grouped(1f, 1);
        PendingRequest second = grouped(2f, 2);

        answers.answer(List.of(ok(second, -2f)), System.nanoTime());
        answers.answer(List.of(ok(first, -1f)), System.nanoTime());

        stream.expectNoMessage(Duration.ofMillis(50));
        assertEquals(PendingRequest.OPEN, first.state());
        assertEquals(PendingRequest.OPEN, second.state());
    }

    @Test
    void moreRequestsInFlightThanItsRingHoldsSwitchDirectAnswersOffForTheInstance() {
        List<PendingRequest> held = List.of(grouped(1f, 1), grouped(2f, 2), grouped(3f, 3), grouped(4f, 4));
        PendingRequest beyond = grouped(5f, 5);

        answers.answer(List.of(ok(held.get(0), -1f), ok(beyond, -5f)), System.nanoTime());

        stream.expectNoMessage(Duration.ofMillis(50));
        assertEquals(PendingRequest.OPEN, held.get(0).state());
        assertEquals(PendingRequest.OPEN, beyond.state());
    }
}
