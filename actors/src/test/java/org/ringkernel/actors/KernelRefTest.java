package org.ringkernel.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/** The public API: process, tell/ask through the ref, and bad input answered with errors that name the problem. */
class KernelRefTest {
    private static ActorTestKit testKit;
    private static RingKernels kernels;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create(ConfigFactory.parseString("ringkernel.kernels.start = [square, matmul]")
                .withFallback(ConfigFactory.load()));
        kernels = RingKernels.get(testKit.system());
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static KernelRequestException failure(CompletionStage<?> stage) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> stage.toCompletableFuture().get(10, TimeUnit.SECONDS));
        return assertInstanceOf(KernelRequestException.class, e.getCause());
    }

    @Test
    void processComputesTheKernel() throws Exception {
        KernelResult result = await(kernels.kernel("square").process(KernelRequest.of(Tensor.of(1f, 2f, 3f))));
        assertArrayEquals(new float[] {1f, 4f, 9f}, result.output().data());
        assertEquals("cpu", result.backend());
        assertEquals("square", result.kernelId());
        assertTrue(result.timing().batchSize() >= 1);
    }

    /**
     * A request that no actor takes (its actor stopped, so it went to dead letters) is still answered: the stage
     * fails once the deadline and {@link KernelRef#ASK_MARGIN} have passed, saying the actor may have stopped.
     */
    @Test
    void aRequestNoActorTakesFailsAfterItsDeadlineAndTheMargin() throws Exception {
        KernelRef square = kernels.kernel("square");
        ActorRef<KernelCommand> stopped = testKit.spawn(Behaviors.<KernelCommand>ignore());
        testKit.stop(stopped);
        KernelRef lost = new KernelRef(square.definition(), stopped, stopped, testKit.system(),
                SystemShutdown.watch(testKit.system()), square::info, Duration.ofSeconds(1), 16);

        KernelRequestException error = failure(lost.process(KernelRequest.of(Tensor.of(1f)), Duration.ofMillis(20)));

        assertInstanceOf(RequestTimeoutException.class, error);
        assertEquals("kernel 'square' did not answer within " + Duration.ofMillis(20).plus(KernelRef.ASK_MARGIN).toMillis()
                + " ms; its actor may have stopped", error.getMessage());
    }

    /** A request no actor took when the system terminates fails then, as the system shuts down, not later. */
    @Test
    void aRequestNoActorTakesFailsAtOnceWhenTheSystemTerminates() {
        ActorTestKit own = ActorTestKit.create(ConfigFactory.parseString("ringkernel.kernels.start = []")
                .withFallback(ConfigFactory.load()));
        ActorRef<KernelCommand> stopped = own.spawn(Behaviors.<KernelCommand>ignore());
        own.stop(stopped);
        KernelRef square = kernels.kernel("square");
        KernelRef lost = new KernelRef(square.definition(), stopped, stopped, own.system(),
                SystemShutdown.watch(own.system()), square::info, Duration.ofMinutes(1), 16);
        CompletionStage<KernelResult> pending = lost.process(KernelRequest.of(Tensor.of(1f)), Duration.ofMinutes(1));

        own.shutdownTestKit();

        assertInstanceOf(KernelUnavailableException.class, failure(pending));
    }

    @Test
    void taggedRequestsAreAnsweredOnceEachWithTheirTagAndErrorsInTheResult() {
        TestProbe<TaggedResult> probe = testKit.createTestProbe();
        KernelRef square = kernels.kernel("square");
        KernelRequest good = KernelRequest.of(Tensor.of(2f, -3f));
        KernelRequest bad = KernelRequest.of(Tensor.of(1f), Tensor.of(2f));
        square.ref().tell(new KernelCommand.ProcessTagged(good, Duration.ofSeconds(10), 7, probe.ref()));
        square.ref().tell(new KernelCommand.ProcessTagged(bad, Duration.ofSeconds(10), 8, probe.ref()));

        TaggedResult first = probe.receiveMessage(Duration.ofSeconds(10));
        TaggedResult second = probe.receiveMessage(Duration.ofSeconds(10));
        TaggedResult ok = first.tag() == 7 ? first : second;
        TaggedResult failed = first.tag() == 7 ? second : first;
        assertEquals(8, failed.tag());
        assertArrayEquals(new float[] {4f, 9f}, ok.result().output().data());
        assertEquals(ErrorCode.INVALID_INPUT, failed.result().error().orElseThrow().code());
        assertEquals(bad, failed.result().request());
        probe.expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    void theRefTakesAskWithStatusLikeAnyActor() {
        TestProbe<StatusReply<KernelResult>> probe = testKit.createTestProbe();
        kernels.kernel("square").ref().tell(new KernelCommand.Process(KernelRequest.of(Tensor.of(3f)),
                Duration.ofSeconds(5), probe.getRef()));
        StatusReply<KernelResult> reply = probe.receiveMessage(Duration.ofSeconds(10));
        assertTrue(reply.isSuccess());
        assertArrayEquals(new float[] {9f}, reply.getValue().output().data());
    }

    @Test
    void wrongShapeIsAnsweredWithWhatWasExpected() {
        KernelRequest request = KernelRequest.of(Tensor.of(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}),
                Tensor.of(new int[] {4, 2}, new float[] {1, 2, 3, 4, 5, 6, 7, 8}));
        KernelRequestException e = failure(kernels.kernel("matmul").process(request));
        assertEquals(ErrorCode.INVALID_INPUT, e.code());
        assertEquals("kernel 'matmul', input 'b': expected dimension 0 to be 3 (the columns of 'a'), got shape [4, 2]",
                e.getMessage());
    }

    @Test
    void nanIsAnsweredWithTheElement() {
        KernelRequestException e = failure(kernels.kernel("square").process(KernelRequest.of(Tensor.of(1f, Float.NaN))));
        assertEquals(ErrorCode.INVALID_INPUT, e.code());
        assertEquals("kernel 'square', input 'x': element 1 is NaN; this kernel accepts finite values only", e.getMessage());
    }

    @Test
    void unknownKernelNamesTheKnownOnes() {
        UnknownKernelException e = assertThrows(UnknownKernelException.class, () -> kernels.kernel("conv2d"));
        assertEquals(ErrorCode.UNKNOWN_KERNEL, e.code());
        assertTrue(e.getMessage().startsWith("no kernel 'conv2d'; the kernels are add, attention, echo"), e.getMessage());
    }

    @Test
    void aBuiltInKernelNotStartedWithTheSystemStartsOnFirstUse() throws Exception {
        KernelResult result = await(kernels.kernel("add").process(KernelRequest.of(Tensor.of(1f, 2f), Tensor.of(3f, 4f))));
        assertArrayEquals(new float[] {4f, 6f}, result.output().data());
        assertTrue(kernels.kernels().stream().anyMatch(info -> info.id().equals("add")));
    }
}
