package org.ringkernel.actors.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.japi.Pair;
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
import org.ringkernel.actors.InstanceStatus.InstanceCounters;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * A flow's demand stays within the kernel's ring: rings of 16 slots and no wait queue, so a single request
 * beyond the ring would be answered overloaded. Each test uses a kernel of its own, so the counters are its own.
 */
class KernelFlowsBackpressureTest {
    private static final int RING = 16;

    private static ActorTestKit testKit;
    private static RingKernels kernels;

    @BeforeAll
    static void start() {
        testKit = ActorTestSupport.testKit("""
                ringkernel.backend = cpu
                ringkernel.kernels.start = [echo, square]
                ringkernel.queue-capacity = %d
                ringkernel.kernel.max-batch-size = %d
                ringkernel.batching.max-batch-size = %d
                ringkernel.max-wait-queue = 0
                """.formatted(RING, RING, RING));
        kernels = RingKernels.get(testKit.system());
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void aSlowDownstreamKeepsTheKernelsOutstandingRequestsWithinParallelism() {
        KernelRef echo = kernels.kernel("echo");
        int parallelism = 8;
        int count = 2000;
        TestSubscriber.Probe<KernelResult> sink = Source.from(requests(count))
                .via(KernelFlows.ordered(echo, parallelism))
                .runWith(TestSink.create(testKit.system()), testKit.system());

        long mostOutstanding = 0;
        for (int i = 0; i < count; i++) {
            sink.request(1);
            KernelResult result = sink.expectNext();
            assertArrayEquals(new float[] {i}, result.output().data(), "element " + i);
            mostOutstanding = Math.max(mostOutstanding, KernelLoad.outstanding(echo));
        }
        sink.request(1);
        sink.expectComplete();

        assertTrue(mostOutstanding <= parallelism, "the kernel held " + mostOutstanding + " requests");
        // echo is row-wise: the flow may stack elements, so the kernel counts at most one request per element.
        testKit.createTestProbe().awaitAssert(() -> {
            assertEquals(KernelLoad.sum(echo, InstanceCounters::received), KernelLoad.sum(echo,
                    InstanceCounters::succeeded));
            return null;
        });
        assertTrue(KernelLoad.sum(echo, InstanceCounters::received) <= count);
        assertEquals(0, KernelLoad.sum(echo, InstanceCounters::overloaded));
        assertTrue(KernelLoad.sum(echo, InstanceCounters::largestBatch) <= parallelism);
    }

    @Test
    void parallelismAboveTheRingCapacityIsClampedSoTheKernelIsNeverOverloaded() throws Exception {
        KernelRef square = kernels.kernel("square");
        FlowSettings settings = FlowSettings.of(1000);
        int count = 3000;

        List<KernelResult> results = Source.from(requests(count)).via(KernelFlows.unordered(square, settings))
                .runWith(Sink.seq(), testKit.system()).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertEquals(count, results.size());
        assertEquals(List.of(), results.stream().flatMap(result -> result.error().stream()).toList());
        assertEquals(RING, settings.parallelismFor(square));
    }

    @Test
    void anUpstreamFailureFailsTheStreamAndLeavesNoRequestInTheKernel() throws Exception {
        GatedKernel gated = new GatedKernel();
        KernelRef kernel = kernels.register(gated.definition("gate_upstream"));
        try {
            Pair<TestPublisher.Probe<KernelRequest>, TestSubscriber.Probe<KernelResult>> probes = heldInKernel(gated, kernel);
            IllegalStateException failure = new IllegalStateException("upstream failed");

            probes.first().sendError(failure);

            assertSame(failure, probes.second().expectError());
        } finally {
            gated.open();
        }
        assertSlotsFreed(kernel);
    }

    @Test
    void cancellingDownstreamLeavesNoRequestInTheKernel() throws Exception {
        GatedKernel gated = new GatedKernel();
        KernelRef kernel = kernels.register(gated.definition("gate_cancel"));
        try {
            Pair<TestPublisher.Probe<KernelRequest>, TestSubscriber.Probe<KernelResult>> probes = heldInKernel(gated, kernel);

            probes.second().cancel();

            probes.first().expectCancellation();
        } finally {
            gated.open();
        }
        assertSlotsFreed(kernel);
    }

    /** A flow with three requests held at the gated kernel's gate. */
    private static Pair<TestPublisher.Probe<KernelRequest>, TestSubscriber.Probe<KernelResult>> heldInKernel(
            GatedKernel gated, KernelRef kernel) throws InterruptedException {
        Pair<TestPublisher.Probe<KernelRequest>, TestSubscriber.Probe<KernelResult>> probes =
                TestSource.<KernelRequest>create(testKit.system())
                        .via(KernelFlows.ordered(kernel, 4))
                        .toMat(TestSink.create(testKit.system()), Keep.both())
                        .run(testKit.system());
        probes.second().request(3);
        requests(3).forEach(probes.first()::sendNext);
        gated.awaitEntered();
        KernelLoad.awaitOutstanding(testKit, kernel, 3);
        return probes;
    }

    private static void assertSlotsFreed(KernelRef kernel) throws Exception {
        KernelLoad.awaitOutstanding(testKit, kernel, 0);
        KernelResult next = kernel.process(KernelRequest.of(Tensor.of(5f))).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertArrayEquals(new float[] {5f}, next.output().data());
    }

    /** Request {@code i} holds the single value {@code i}. */
    private static List<KernelRequest> requests(int count) {
        return IntStream.range(0, count).mapToObj(i -> KernelRequest.of(Tensor.of((float) i))).toList();
    }
}
