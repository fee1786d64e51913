package org.ringkernel.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.ringkernel.actors.ActorTestSupport.await;
import static org.ringkernel.actors.ActorTestSupport.awaitTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ringkernel.actors.stream.FlowSettings;
import org.ringkernel.actors.stream.KernelFlows;
import org.ringkernel.bridge.cuda.CudaBackendProvider;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.runtime.Availability;
import org.ringkernel.bridge.runtime.BridgeSettings;
import org.ringkernel.bridge.runtime.Completion;
import org.ringkernel.bridge.runtime.CompletionStatus;
import org.ringkernel.bridge.runtime.ExecutionPath;

/**
 * The bridge's central promise as a property: thousands of random requests, some invalid, with kernel
 * failures injected at random points, and every request gets exactly one reply, correct when it is a result.
 * Each request has a reply actor of its own, or (every other one) a future that the kernel's actor completes itself
 * as {@link KernelRef#process} has it do, and each counts what it receives. On CUDA an injected failure traps
 * the kernel, a sticky error that restarts the whole device, so the promise is checked across device
 * restarts there; those rows skip, with the reason, where no CUDA device is usable. The same holds for requests
 * sent in {@link KernelCommand.ProcessBatch}es, spread over two instances and answered in groups, and for a
 * {@link KernelFlows} stream running beside them: each tag is answered once, each element comes out once. The
 * requests of batches and streams are answered by the completion poller itself when they succeed, the others by
 * their actor; each instance must count every request it took exactly once.
 */
@Tag("cuda")
class ExactlyOneReplyTest {
    private static final int REQUESTS = 6_000;
    private static final int STREAMED = 3_000;
    private static final int HELD = 400;

    private ActorTestKit testKit;

    @AfterEach
    void stop() {
        if (testKit != null) {
            testKit.shutdownTestKit();
        }
    }

    private static Behavior<StatusReply<KernelResult>> counter(int id, AtomicIntegerArray counts,
                                                              AtomicReferenceArray<StatusReply<KernelResult>> replies) {
        return Behaviors.receive((context, reply) -> {
            counts.incrementAndGet(id);
            replies.set(id, reply);
            return Behaviors.same();
        });
    }

    /**
     * Where the answer to request {@code id} goes, every other request: a reply to an actor ({@link
     * KernelCommand.Process}) or a future the kernel's actor completes itself ({@link
     * KernelCommand.ProcessCompleting}, what {@link KernelRef#process} sends). Either way each answer is counted.
     */
    private KernelCommand.Computing computing(int id, float[] input, Duration timeout, AtomicIntegerArray counts,
                                              AtomicReferenceArray<StatusReply<KernelResult>> replies) {
        KernelRequest request = KernelRequest.of(Tensor.of(input));
        return id % 2 == 0
                ? new KernelCommand.Process(request, timeout, testKit.spawn(counter(id, counts, replies)))
                : new KernelCommand.ProcessCompleting(request, timeout, new CountingAnswer(id, counts, replies),
                        RequestTrace.NONE);
    }

    /** A future that counts every attempt to complete it: a second answer shows, though a future ignores it. */
    private static final class CountingAnswer extends CompletableFuture<KernelResult> {
        private final int id;
        private final AtomicIntegerArray counts;
        private final AtomicReferenceArray<StatusReply<KernelResult>> replies;

        CountingAnswer(int id, AtomicIntegerArray counts, AtomicReferenceArray<StatusReply<KernelResult>> replies) {
            this.id = id;
            this.counts = counts;
            this.replies = replies;
        }

        @Override
        public boolean complete(KernelResult value) {
            counts.incrementAndGet(id);
            replies.set(id, StatusReply.success(value));
            return super.complete(value);
        }

        @Override
        public boolean completeExceptionally(Throwable failure) {
            counts.incrementAndGet(id);
            replies.set(id, StatusReply.error(failure));
            return super.completeExceptionally(failure);
        }
    }

    static Stream<Arguments> backendsAndRetry() {
        return Stream.of(Arguments.of("cpu", "off"), Arguments.of("cpu", "on"), Arguments.of("cuda", "off"),
                Arguments.of("cuda", "on"));
    }

    private RingKernels start(String backend, String retry) {
        if (backend.equals("cuda")) {
            Availability cuda = new CudaBackendProvider().probe(BridgeSettings.load());
            assumeTrue(cuda.usable(), () -> "no usable CUDA device: " + cuda.reason());
        }
        testKit = ActorTestSupport.testKit("ringkernel.backend = " + backend + "\n" + """
                ringkernel.kernels { start = [square], instances = 2 }
                ringkernel.debug.fault-injection = on
                ringkernel.supervision { max-restarts = 1000, restart-min-backoff = 1ms, restart-max-backoff = 20ms }
                ringkernel.batching.max-delay = 50us
                """ + "ringkernel.supervision.retry-in-flight = " + retry);
        return RingKernels.get(testKit.system());
    }

    @ParameterizedTest(name = "{0}, retry-in-flight = {1}")
    @MethodSource("backendsAndRetry")
    void everyRequestGetsExactlyOneReplyThroughInjectedFailures(String backend, String retry) throws Exception {
        RingKernels kernels = start(backend, retry);
        KernelRef square = kernels.kernel("square");
        AtomicIntegerArray counts = new AtomicIntegerArray(REQUESTS);
        AtomicReferenceArray<StatusReply<KernelResult>> replies = new AtomicReferenceArray<>(REQUESTS);
        float[][] inputs = new float[REQUESTS][];
        SplittableRandom random = new SplittableRandom((backend + retry).hashCode());
        List<CompletableFuture<Done>> faults = new ArrayList<>();

        for (int id = 0; id < REQUESTS; id++) {
            inputs[id] = randomInput(random);
            square.ref().tell(computing(id, inputs[id], Duration.ofSeconds(20), counts, replies));
            if (random.nextInt(300) == 0) {
                // Refused while the instance restarts; those that were taken are counted below.
                faults.add(kernels.faults().failNextBatch("square", random.nextInt(2)).toCompletableFuture());
            }
        }

        awaitTrue(() -> faults.stream().allMatch(CompletableFuture::isDone), "every fault injection is answered");
        awaitTrue(() -> answered(counts) == REQUESTS, "every request is answered");
        awaitSettled(square);
        int succeeded = 0;
        for (int id = 0; id < REQUESTS; id++) {
            assertEquals(1, counts.get(id), "replies to request " + id);
            StatusReply<KernelResult> reply = replies.get(id);
            if (reply.isSuccess()) {
                succeeded++;
                assertSquared(inputs[id], reply.getValue().output().data(), id);
            } else if (!(reply.getError() instanceof KernelRequestException)) {
                fail("request " + id + " failed with " + reply.getError());
            }
        }
        assertTrue(faults.stream().anyMatch(fault -> !fault.isCompletedExceptionally()), "faults were injected");
        // Every injection an instance took fails what its ring holds then: with a burst of 6000, often most of it.
        assertTrue(succeeded > REQUESTS / 4, succeeded + " of " + REQUESTS + " succeeded");
        float[] after = {1.5f, -2f};
        assertArrayEquals(new float[] {2.25f, 4f}, await(square.process(KernelRequest.of(Tensor.of(after)))).output().data(),
                "the kernel works after the failures");
    }

    @ParameterizedTest(name = "{0}, retry-in-flight = {1}")
    @MethodSource("backendsAndRetry")
    void everyBatchedAndStreamedRequestGetsExactlyOneAnswerThroughInjectedFailures(String backend, String retry)
            throws Exception {
        RingKernels kernels = start(backend, retry);
        KernelRef square = kernels.kernel("square");
        AtomicIntegerArray counts = new AtomicIntegerArray(REQUESTS);
        AtomicReferenceArray<KernelResult> answers = new AtomicReferenceArray<>(REQUESTS);
        ActorRef<TaggedResults> replyTo = testKit.spawn(Behaviors.receive((context, group) -> {
            for (TaggedResult answer : group.results()) {
                counts.incrementAndGet((int) answer.tag());
                answers.set((int) answer.tag(), answer.result());
            }
            return Behaviors.same();
        }));
        SplittableRandom random = new SplittableRandom((backend + retry + "batch").hashCode());
        List<KernelRequest> requests = new ArrayList<>(REQUESTS);
        for (int id = 0; id < REQUESTS; id++) {
            requests.add(KernelRequest.of(Tensor.of(randomInput(random))));
        }
        List<KernelRequest> streamed = new ArrayList<>(STREAMED);
        for (int i = 0; i < STREAMED; i++) {
            streamed.add(KernelRequest.of(Tensor.of(randomInput(random))));
        }
        // The stream injects faults of its own as it goes, so that they hit its batches too.
        AtomicInteger streamFaults = new AtomicInteger();
        CompletionStage<List<KernelResult>> flowed = Source.from(streamed).zipWithIndex()
                .map(indexed -> {
                    int instance = (int) (indexed.second() / 250 % 2);
                    if (indexed.second() % 250 == 100
                            && square.info().instances().get(instance).phase() == InstanceStatus.Phase.ACTIVE) {
                        kernels.faults().failNextBatch("square", instance);
                        streamFaults.incrementAndGet();
                    }
                    return indexed.first();
                })
                .via(KernelFlows.ordered(square, FlowSettings.of(64).withTimeout(Duration.ofSeconds(20))))
                .runWith(Sink.seq(), testKit.system());
        List<CompletableFuture<Done>> faults = new ArrayList<>();

        for (int first = 0; first < REQUESTS; ) {
            int size = Math.min(REQUESTS - first, 1 + random.nextInt(40));
            square.ref().tell(new KernelCommand.ProcessBatch(requests.subList(first, first + size), Duration.ofSeconds(20),
                    first, replyTo));
            first += size;
            if (random.nextInt(8) == 0) {
                // Refused while the instance restarts; those that were taken are counted below.
                faults.add(kernels.faults().failNextBatch("square", random.nextInt(2)).toCompletableFuture());
            }
            if (first >= REQUESTS / 2 && faults.stream().noneMatch(ExactlyOneReplyTest::taken)) {
                // Under load both instances may have been restarting each time the dice called for a fault;
                // halfway through, one is made sure of.
                awaitTrue(() -> {
                    CompletableFuture<Done> fault = kernels.faults().failNextBatch("square", 0).toCompletableFuture();
                    faults.add(fault);
                    return taken(fault);
                }, "a fault is injected halfway through the batches");
            }
        }

        awaitTrue(() -> faults.stream().allMatch(CompletableFuture::isDone), "every fault injection is answered");
        awaitTrue(() -> answered(counts) == REQUESTS, "every batched request is answered");
        List<KernelResult> results = await(flowed);
        awaitSettled(square);
        int succeeded = 0;
        for (int id = 0; id < REQUESTS; id++) {
            assertEquals(1, counts.get(id), "answers to batched request " + id);
            succeeded += checkResult(requests.get(id), answers.get(id), "batched request " + id);
        }
        assertEquals(STREAMED, results.size(), "elements out of the stream");
        int streamedOk = 0;
        for (int i = 0; i < STREAMED; i++) {
            assertSame(streamed.get(i), results.get(i).request(), "element " + i + " is in its place");
            streamedOk += checkResult(streamed.get(i), results.get(i), "element " + i);
        }
        assertTrue(faults.stream().anyMatch(fault -> !fault.isCompletedExceptionally()),
                "faults were injected while batches were sent");
        assertTrue(streamFaults.get() > 0, "faults were injected while the stream ran");
        assertTrue(succeeded > REQUESTS / 2, succeeded + " of " + REQUESTS + " batched requests succeeded");
        assertTrue(streamedOk > STREAMED / 2, streamedOk + " of " + STREAMED + " streamed requests succeeded");
    }

    /**
     * The answers the completion poller gives itself (to requests sent in batches) beside those the actor gives (to
     * asks, to timeouts, after failures), while the actor itself is restarted at random points: a completion that
     * matches no request makes it throw, and supervision restarts it, answering everything it held. Many requests
     * have deadlines of a few milliseconds, so the actor's timeouts race the poller's answers. Each request and each
     * tag is answered exactly once.
     */
    @ParameterizedTest(name = "retry-in-flight = {0}")
    @ValueSource(strings = {"off", "on"})
    void directAnswersAndTheActorsOwnAnswerEachRequestOnceThroughRestartsAndTimeouts(String retry) throws Exception {
        testKit = ActorTestSupport.testKit("""
                ringkernel.backend = cpu
                ringkernel.kernels { start = [square], instances = 1 }
                ringkernel.debug.fault-injection = on
                ringkernel.supervision { max-restarts = 1000, restart-min-backoff = 1ms, restart-max-backoff = 20ms }
                ringkernel.batching.max-delay = 50us
                """ + "ringkernel.supervision.retry-in-flight = " + retry);
        RingKernels kernels = RingKernels.get(testKit.system());
        KernelRef square = kernels.kernel("square");
        // With one instance the kernel's ref is the instance's own actor, which takes the poller's messages.
        ActorRef<KernelCommand> actor = square.ref();
        AtomicIntegerArray batchedCounts = new AtomicIntegerArray(REQUESTS);
        AtomicReferenceArray<KernelResult> batchedAnswers = new AtomicReferenceArray<>(REQUESTS);
        ActorRef<TaggedResults> batchReplies = testKit.spawn(Behaviors.receive((context, group) -> {
            for (TaggedResult answer : group.results()) {
                batchedCounts.incrementAndGet((int) answer.tag());
                batchedAnswers.set((int) answer.tag(), answer.result());
            }
            return Behaviors.same();
        }));
        AtomicIntegerArray askedCounts = new AtomicIntegerArray(REQUESTS);
        AtomicReferenceArray<StatusReply<KernelResult>> askedReplies = new AtomicReferenceArray<>(REQUESTS);
        SplittableRandom random = new SplittableRandom((retry + "restarts").hashCode());
        List<KernelRequest> batched = new ArrayList<>(REQUESTS);
        float[][] asked = new float[REQUESTS][];
        Completion stray = new Completion(-1, CompletionStatus.OK, List.of(), 0, 0, 1, ExecutionPath.RING, 0, "");
        int restarts = 0;
        List<CompletableFuture<Done>> faults = new ArrayList<>();
        int asks = 0;

        for (int first = 0; first < REQUESTS; ) {
            // A few hundred requests held at a time, so that restarts find requests in the ring, not only waiting.
            int sent = first;
            awaitTrue(() -> answered(batchedCounts) >= sent - HELD, "the kernel keeps up");
            Duration timeout = random.nextInt(4) == 0 ? Duration.ofMillis(1 + random.nextInt(3)) : Duration.ofSeconds(20);
            int size = Math.min(REQUESTS - first, 1 + random.nextInt(40));
            for (int i = 0; i < size; i++) {
                batched.add(KernelRequest.of(Tensor.of(randomInput(random))));
            }
            actor.tell(new KernelCommand.ProcessBatch(batched.subList(first, first + size), timeout, first, batchReplies));
            first += size;
            asked[asks] = randomInput(random);
            actor.tell(computing(asks, asked[asks], timeout, askedCounts, askedReplies));
            asks++;
            if (random.nextInt(50) == 0) {
                // Whichever generation the actor's instance has now, one of these matches it and makes it throw. Sent
                // newest first: the restarted actor's instances have higher numbers, so the rest match none of them.
                for (long generation = 500; generation > 0; generation--) {
                    actor.tell(new InternalKernelCommand.CompletionsArrived(generation, List.of(stray)));
                }
                restarts++;
            } else if (random.nextInt(50) == 0) {
                // Refused while the instance restarts; those that were taken are counted below.
                faults.add(kernels.faults().failNextBatch("square", 0).toCompletableFuture());
            }
        }

        int askCount = asks;
        awaitTrue(() -> faults.stream().allMatch(CompletableFuture::isDone), "every fault injection is answered");
        awaitTrue(() -> answered(batchedCounts) == REQUESTS, "every batched request is answered");
        awaitTrue(() -> answered(askedCounts) == askCount, "every asked request is answered");
        awaitTrue(() -> square.info().instances().stream()
                .allMatch(i -> i.counters().inFlight() == 0 && i.counters().waiting() == 0), "nothing is held any more");
        int succeeded = 0;
        for (int id = 0; id < REQUESTS; id++) {
            assertEquals(1, batchedCounts.get(id), "answers to batched request " + id);
            succeeded += checkResult(batched.get(id), batchedAnswers.get(id), "batched request " + id);
        }
        for (int id = 0; id < askCount; id++) {
            assertEquals(1, askedCounts.get(id), "replies to asked request " + id);
            StatusReply<KernelResult> reply = askedReplies.get(id);
            if (reply.isSuccess()) {
                assertSquared(asked[id], reply.getValue().output().data(), id);
            } else {
                assertInstanceOf(KernelRequestException.class, reply.getError(), "asked request " + id);
            }
        }
        long injected = faults.stream().filter(fault -> !fault.isCompletedExceptionally()).count();
        assertTrue(restarts > 0 && injected > 0, restarts + " restarts and " + injected + " faults were injected");
        // A restart fails what waits as well as what is in flight, and a quarter of the requests have tiny deadlines.
        assertTrue(succeeded > REQUESTS / 4, succeeded + " of " + REQUESTS + " batched requests succeeded");
        float[] after = {1.5f, -2f};
        assertArrayEquals(new float[] {2.25f, 4f}, await(square.process(KernelRequest.of(Tensor.of(after)))).output().data(),
                "the kernel works after the restarts");
    }

    /**
     * Waits until no instance holds a request and each counted every request it took once: received, it was answered
     * either way exactly once, by the actor or the completion poller.
     */
    private static void awaitSettled(KernelRef kernel) {
        awaitTrue(() -> kernel.info().instances().stream().allMatch(i -> i.counters().inFlight() == 0
                && i.counters().waiting() == 0
                && i.counters().received() == i.counters().succeeded() + i.counters().failed()),
                "nothing is held any more and every request is counted once");
    }

    /**
     * 1 if {@code result} is {@code request} squared, 0 if it carries a kernel's error; fails on anything else. Only a
     * request holding a NaN is rejected as invalid, and it is never answered: a stream's stack holding one must not
     * fail the others stacked with it.
     */
    private static int checkResult(KernelRequest request, KernelResult result, String what) {
        float[] input = request.inputs().get(0).data();
        boolean holdsNaN = IntStream.range(0, input.length).anyMatch(i -> Float.isNaN(input[i]));
        if (result.ok()) {
            assertFalse(holdsNaN, what + " holds a NaN but was answered");
            assertSquared(input, result.output().data(), what);
            return 1;
        }
        KernelRequestException error = assertInstanceOf(KernelRequestException.class, result.error().get(), what);
        // One holding a NaN may also be refused or failed before its values are checked.
        assertTrue(holdsNaN || error.code() != ErrorCode.INVALID_INPUT, what + " was rejected: " + error.getMessage());
        return 0;
    }

    private static float[] randomInput(SplittableRandom random) {
        float[] values = new float[1 + random.nextInt(64)];
        for (int i = 0; i < values.length; i++) {
            float magnitude = 0.1f + 1.9f * (float) random.nextDouble();
            values[i] = random.nextBoolean() ? magnitude : -magnitude;
        }
        if (random.nextInt(50) == 0) {
            values[random.nextInt(values.length)] = Float.NaN;
        }
        return values;
    }

    private static int answered(AtomicIntegerArray counts) {
        int answered = 0;
        for (int i = 0; i < counts.length(); i++) {
            answered += counts.get(i) > 0 ? 1 : 0;
        }
        return answered;
    }

    private static void assertSquared(float[] input, float[] output, int id) {
        assertSquared(input, output, "request " + id);
    }

    private static void assertSquared(float[] input, float[] output, String what) {
        assertEquals(input.length, output.length, what);
        for (int i = 0; i < input.length; i++) {
            double expected = (double) input[i] * input[i];
            assertEquals(expected, output[i], 1e-6 * expected, what + " element " + i);
        }
    }

    /** Whether a fault injection was taken: it waits for the answer, and a refusal (a restarting instance) is not. */
    private static boolean taken(CompletableFuture<Done> fault) {
        try {
            fault.get(ActorTestSupport.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception refused) {
            return false;
        }
    }

}
