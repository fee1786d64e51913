package org.ringkernel.actors.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.testkit.TestPublisher;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.stream.testkit.javadsl.TestSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ringkernel.actors.ActorTestSupport;
import org.ringkernel.actors.InvalidRequestException;
import org.ringkernel.actors.KernelCommand;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.actors.KernelUnavailableException;
import org.ringkernel.actors.RequestTimeoutException;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.actors.TaggedResult;
import org.ringkernel.actors.TaggedResults;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * Ordered and unordered flows over real kernels on the CPU backend: results, errors, timeouts and throttling; and
 * over stand-in kernels that answer out of order, late, or not at all.
 */
class KernelFlowsTest {
    private static final int MANY = 5000;
    private static final int ORDERED = 20_000;

    private static ActorTestKit testKit;
    private static RingKernels kernels;

    @BeforeAll
    static void start() {
        testKit = ActorTestSupport.testKit("""
                ringkernel.backend = cpu
                ringkernel.kernels.start = [square, matmul, saxpy]
                """);
        kernels = RingKernels.get(testKit.system());
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void orderedFlowReturnsEveryResultInRequestOrder() throws Exception {
        List<KernelRequest> requests = randomRequests(new Random(42), ORDERED);

        List<KernelResult> results = run(Source.from(requests), KernelFlows.ordered(kernels.kernel("square"), 64));

        assertEquals(ORDERED, results.size());
        for (int i = 0; i < ORDERED; i++) {
            assertSame(requests.get(i), results.get(i).request(), "result " + i + " answers another request");
            assertSquares(results.get(i));
        }
    }

    @Test
    void unorderedFlowReturnsEveryResultExactlyOnce() throws Exception {
        List<KernelRequest> requests = randomRequests(new Random(7), MANY);
        Set<KernelRequest> unanswered = Collections.newSetFromMap(new IdentityHashMap<>());
        unanswered.addAll(requests);

        List<KernelResult> results = run(Source.from(requests), KernelFlows.unordered(kernels.kernel("square"), 64));

        assertEquals(MANY, results.size());
        for (KernelResult result : results) {
            assertTrue(unanswered.remove(result.request()), "a result for a request not sent or answered twice");
            assertSquares(result);
        }
        assertTrue(unanswered.isEmpty());
    }

    /**
     * {@code saxpy} is row-wise, so the flow stacks its small elements: of several shapes and two params, with now and
     * then a NaN, which the kernel rejects for the stack that holds it. Each element still gets its own rows (against a
     * float64 reference) or the error that names its own element, and the kernel got fewer requests than elements.
     */
    @Test
    void aRowwiseKernelsSmallElementsRunStackedAndEachGetsItsOwnRowsOrItsOwnError() throws Exception {
        KernelRef saxpy = kernels.kernel("saxpy");
        long receivedBefore = received(saxpy);
        Random random = new Random(11);
        List<KernelRequest> requests = new ArrayList<>();
        List<Integer> nanAt = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            int rows = 1 + random.nextInt(40);
            int[] shape = random.nextBoolean() ? new int[] {rows} : new int[] {rows, 3};
            int size = shape.length == 1 ? rows : rows * 3;
            float[] x = new float[size];
            float[] y = new float[size];
            for (int e = 0; e < size; e++) {
                x[e] = random.nextFloat() * 4 - 2;
                y[e] = random.nextFloat() * 4 - 2;
            }
            int nan = random.nextInt(100) == 0 ? random.nextInt(size) : -1;
            if (nan >= 0) {
                x[nan] = Float.NaN;
            }
            nanAt.add(nan);
            requests.add(KernelRequest.of(Tensor.of(shape, x), Tensor.of(shape.clone(), y))
                    .withParam("alpha", random.nextBoolean() ? 1.0 : 2.5));
        }

        List<KernelResult> results = run(Source.from(requests), KernelFlows.ordered(saxpy, 64));

        assertEquals(requests.size(), results.size());
        int rejected = 0;
        for (int i = 0; i < requests.size(); i++) {
            KernelRequest request = requests.get(i);
            KernelResult result = results.get(i);
            assertSame(request, result.request(), "result " + i + " answers another request");
            if (nanAt.get(i) >= 0) {
                assertEquals("kernel 'saxpy', input 'x': element " + nanAt.get(i)
                        + " is NaN; this kernel accepts finite values only", invalid(result), "element " + i);
                rejected++;
                continue;
            }
            assertTrue(result.ok(), "element " + i + ": " + result.error());
            Tensor out = result.output();
            assertArrayEquals(request.inputs().get(0).shape(), out.shape(), "element " + i);
            double alpha = request.params().get("alpha");
            float[] x = request.inputs().get(0).data();
            float[] y = request.inputs().get(1).data();
            for (int e = 0; e < x.length; e++) {
                double expected = alpha * x[e] + y[e];
                assertEquals(expected, out.data()[e], 1e-6 * Math.max(1, Math.abs(expected)),
                        "element " + i + " value " + e);
            }
        }
        assertTrue(rejected > 0, "some elements held a NaN");
        ActorTestSupport.awaitTrue(() -> saxpy.info().instances().stream().allMatch(instance ->
                instance.counters().received() == instance.counters().succeeded() + instance.counters().failed()),
                "saxpy reported every request it got as answered");
        long sent = received(saxpy) - receivedBefore;
        // Every rejected stack is sent again element by element, so that count comes on top of the stacks.
        assertTrue(sent < requests.size(), "the kernel got " + sent + " requests for " + requests.size()
                + " elements: nothing was stacked");
    }

    private static long received(KernelRef kernel) {
        return kernel.info().instances().stream().mapToLong(instance -> instance.counters().received()).sum();
    }

    @Test
    void invalidRequestsComeOutAsFailedElementsInOrderAndTheStreamCompletes() throws Exception {
        List<KernelRequest> requests = List.of(product(1f), vectorTimesMatrix(), product(2f), product(Float.NaN),
                product(3f));

        List<KernelResult> results = run(Source.from(requests), KernelFlows.ordered(kernels.kernel("matmul"), 8));

        assertEquals(5, results.size());
        assertProduct(1f, results.get(0));
        assertEquals("kernel 'matmul', input 'a': expected rank 2 [m, k], got shape [3]", invalid(results.get(1)));
        assertProduct(2f, results.get(2));
        assertEquals("kernel 'matmul', input 'b': element 1 is NaN; this kernel accepts finite values only",
                invalid(results.get(3)));
        assertProduct(3f, results.get(4));
        for (int i = 0; i < requests.size(); i++) {
            assertSame(requests.get(i), results.get(i).request());
        }
    }

    @Test
    void failStreamModeFailsTheStreamWithTheFirstInvalidRequest() {
        FlowSettings settings = FlowSettings.of(8).withErrors(ErrorHandling.FAIL_STREAM);
        TestSubscriber.Probe<KernelResult> sink = Source.from(List.of(product(1f), vectorTimesMatrix(), product(Float.NaN)))
                .via(KernelFlows.ordered(kernels.kernel("matmul"), settings))
                .runWith(TestSink.create(testKit.system()), testKit.system());

        sink.request(3);
        assertProduct(1f, sink.expectNext());
        InvalidRequestException error = assertInstanceOf(InvalidRequestException.class, sink.expectError());
        assertEquals("kernel 'matmul', input 'a': expected rank 2 [m, k], got shape [3]", error.getMessage());
    }

    @Test
    void anElementWithoutResultWithinItsTimeoutComesOutAsATimeout() throws Exception {
        GatedKernel gated = new GatedKernel();
        KernelRef kernel = kernels.register(gated.definition("gate_timeout"));
        try {
            FlowSettings settings = FlowSettings.of(1).withTimeout(Duration.ofMillis(200));

            List<KernelResult> results = run(Source.single(KernelRequest.of(Tensor.of(1f))),
                    KernelFlows.ordered(kernel, settings));

            RequestTimeoutException timeout = assertInstanceOf(RequestTimeoutException.class,
                    results.get(0).error().orElseThrow());
            assertTrue(timeout.getMessage().startsWith("kernel 'gate_timeout': no result within 200 ms"),
                    timeout.getMessage());
        } finally {
            gated.open();
        }
    }

    @Test
    void throttledFlowDeliversEveryElement() throws Exception {
        List<KernelRequest> requests = randomRequests(new Random(3), 100);
        FlowSettings settings = FlowSettings.of(16).withThrottle(50, Duration.ofMillis(100));

        List<KernelResult> results = run(Source.from(requests), KernelFlows.ordered(kernels.kernel("square"), settings));

        assertEquals(100, results.size());
        for (int i = 0; i < results.size(); i++) {
            assertSame(requests.get(i), results.get(i).request());
            assertSquares(results.get(i));
        }
    }

    @Test
    void parallelismBelowOneIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelFlows.unordered(kernels.kernel("square"), 0));
        assertEquals("parallelism must be at least 1, got 0", e.getMessage());
    }

    @Test
    void failStreamFailsAtTheFirstFailedElementInOutputOrderThoughALaterOneFailedFirst() {
        // Answers each batch last request first, and fails requests 1 and 3: 3's failure arrives before 1's.
        ActorRef<KernelCommand> kernel = testKit.spawn(StandInKernel.answering(batch -> {
            List<TaggedResult> answers = new ArrayList<>();
            for (KernelCommand.ProcessGrouped element : batch.elements()) {
                answers.add(0, element.tag() % 2 == 1 ? StandInKernel.failed(element) : StandInKernel.echoed(element));
            }
            answers.forEach(answer -> batch.replyTo().tell(new TaggedResults(List.of(answer))));
        }));
        FlowSettings settings = FlowSettings.of(8).withErrors(ErrorHandling.FAIL_STREAM);
        TestSubscriber.Probe<KernelResult> sink = Source.from(values(5))
                .via(KernelFlows.flow(kernel, StandInKernel.ID, 8, Duration.ofSeconds(5), settings, true))
                .runWith(TestSink.create(testKit.system()), testKit.system());

        sink.request(5);
        assertArrayEquals(new float[] {0f}, sink.expectNext().output().data());
        InvalidRequestException error = assertInstanceOf(InvalidRequestException.class, sink.expectError());
        assertEquals("request 1 failed", error.getMessage());
    }

    @Test
    void aKernelWhoseActorStopsMidStreamAnswersEveryLaterElementUnavailableAtOnce() throws Exception {
        // Answers the first batch, then stops: what the flow sent after that, and sends later, is never answered.
        // The deadline is a minute, so an element left to time out would outlast the run's wait.
        AtomicInteger batches = new AtomicInteger();
        AtomicInteger firstBatch = new AtomicInteger();
        ActorRef<KernelCommand> kernel = testKit.spawn(StandInKernel.stoppingAfter(1, batch -> {
            batches.incrementAndGet();
            firstBatch.set(batch.requests().size());
            StandInKernel.echoAll(batch);
        }));
        int count = 32;

        List<KernelResult> results = run(Source.from(values(count)),
                KernelFlows.flow(kernel, StandInKernel.ID, 16, Duration.ofMinutes(1), FlowSettings.of(16), true));

        assertEquals(count, results.size());
        assertEquals(1, batches.get());
        assertTrue(firstBatch.get() >= 1 && firstBatch.get() <= 16, "the first batch held " + firstBatch.get());
        for (int i = 0; i < firstBatch.get(); i++) {
            assertArrayEquals(new float[] {i}, results.get(i).output().data(), "element " + i + " of the first batch");
        }
        for (int i = firstBatch.get(); i < count; i++) {
            KernelUnavailableException gone = assertInstanceOf(KernelUnavailableException.class,
                    results.get(i).error().orElseThrow(), "element " + i);
            assertEquals("kernel 'stand_in' cannot answer: its actor stopped", gone.getMessage());
            assertEquals(i, (int) results.get(i).request().inputs().get(0).data()[0], "element " + i);
        }
    }

    @Test
    void anAnswerAfterTheFlowGaveUpIsIgnored() {
        // Holds the batch with the first request; answers every other batch at once.
        ConcurrentLinkedQueue<KernelCommand.ProcessBatch> held = new ConcurrentLinkedQueue<>();
        ActorRef<KernelCommand> kernel = testKit.spawn(StandInKernel.answering(batch -> {
            if (batch.firstTag() == 0) {
                held.add(batch);
            } else {
                StandInKernel.echoAll(batch);
            }
        }));
        Pair<TestPublisher.Probe<KernelRequest>, TestSubscriber.Probe<KernelResult>> probes =
                TestSource.<KernelRequest>create(testKit.system())
                        .via(KernelFlows.flow(kernel, StandInKernel.ID, 4, Duration.ofMillis(100), FlowSettings.of(4),
                                false))
                        .toMat(TestSink.create(testKit.system()), Keep.both())
                        .run(testKit.system());
        probes.second().request(10);
        probes.first().sendNext(value(0));

        assertInstanceOf(RequestTimeoutException.class, probes.second().expectNext(Duration.ofSeconds(10)).error()
                .orElseThrow());
        KernelCommand.ProcessBatch late = held.remove();
        StandInKernel.echoAll(late);
        probes.first().sendNext(value(1));
        assertArrayEquals(new float[] {1f}, probes.second().expectNext().output().data());
        probes.first().sendComplete();
        probes.second().expectComplete();
    }

    private static List<KernelResult> run(Source<KernelRequest, ?> source, Flow<KernelRequest, KernelResult, ?> flow)
            throws Exception {
        CompletionStage<List<KernelResult>> results = source.via(flow).runWith(Sink.seq(), testKit.system());
        return results.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Request {@code i} holds the single value {@code i}. */
    private static List<KernelRequest> values(int count) {
        List<KernelRequest> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            requests.add(value(i));
        }
        return requests;
    }

    private static KernelRequest value(float value) {
        return KernelRequest.of(Tensor.of(value));
    }

    /** Requests of 1 to 16 finite elements, none of them zero, so results compare by relative error. */
    private static List<KernelRequest> randomRequests(Random random, int count) {
        List<KernelRequest> requests = new ArrayList<>(count);
        for (int r = 0; r < count; r++) {
            float[] values = new float[1 + random.nextInt(16)];
            for (int i = 0; i < values.length; i++) {
                values[i] = (random.nextBoolean() ? 1f : -1f) * (0.5f + 99.5f * random.nextFloat());
            }
            requests.add(KernelRequest.of(Tensor.of(values)));
        }
        return requests;
    }

    private static void assertSquares(KernelResult result) {
        float[] x = result.request().inputs().get(0).data();
        float[] y = result.output().data();
        assertEquals(x.length, y.length);
        for (int i = 0; i < x.length; i++) {
            double expected = (double) x[i] * x[i];
            assertTrue(Math.abs(y[i] - expected) / expected < 1e-6, x[i] + "^2 = " + expected + ", got " + y[i]);
        }
    }

    /** {@code [[1, 1]] · [[s], [b1]]} = {@code [[s + b1]]}: a valid matmul, unless {@code b1} is not finite. */
    private static KernelRequest product(float b1) {
        return KernelRequest.of(Tensor.of(new int[] {1, 2}, new float[] {1f, 1f}),
                Tensor.of(new int[] {2, 1}, new float[] {10f, b1}));
    }

    /** A rank-1 {@code a}: matmul takes matrices only. */
    private static KernelRequest vectorTimesMatrix() {
        return KernelRequest.of(Tensor.of(1f, 2f, 3f), Tensor.of(new int[] {3, 1}, new float[] {1f, 2f, 3f}));
    }

    private static void assertProduct(float b1, KernelResult result) {
        assertEquals(10f + b1, result.output().data()[0]);
    }

    private static String invalid(KernelResult result) {
        return assertInstanceOf(InvalidRequestException.class, result.error().orElseThrow()).getMessage();
    }
}
