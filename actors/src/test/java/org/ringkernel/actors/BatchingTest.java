package org.ringkernel.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ringkernel.actors.ActorTestSupport.await;
import static org.ringkernel.actors.ActorTestSupport.awaitTrue;
import static org.ringkernel.actors.ActorTestSupport.counters;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * Opportunistic batching, observed through the actor's counters: a gated kernel holds its batch until the
 * test lets it through, so which requests gather is decided by the test, not by timing.
 */
class BatchingTest {
    private static final Duration HOUR = Duration.ofHours(1);

    private ActorTestKit testKit;
    private RingKernels kernels;
    private final Semaphore gate = new Semaphore(0);
    private KernelRef gated;

    @BeforeEach
    void start() {
        testKit = ActorTestSupport.testKit("""
                ringkernel.kernels.start = [square]
                ringkernel.batching { mode = opportunistic, max-batch-size = 64, max-delay = 1h }
                """);
        kernels = RingKernels.get(testKit.system());
        gated = kernels.register(TestKernels.gated("gated", gate));
    }

    @AfterEach
    void stop() {
        gate.release(1_000);
        testKit.shutdownTestKit();
    }

    private List<CompletionStage<KernelResult>> send(KernelRef kernel, int count) {
        List<CompletionStage<KernelResult>> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            results.add(kernel.process(KernelRequest.of(Tensor.of(i + 1f))));
        }
        return results;
    }

    private void awaitWaiting(KernelRef kernel, int waiting) {
        awaitTrue(() -> counters(kernel, 0).waiting() == waiting, waiting + " requests wait in the actor");
    }

    private static void assertNegated(List<CompletionStage<KernelResult>> results) throws Exception {
        for (int i = 0; i < results.size(); i++) {
            assertArrayEquals(new float[] {-(i + 1f)}, await(results.get(i)).output().data(), "request " + i);
        }
    }

    @Test
    void aLoneRequestIsNotHeldForTheBatchDelay() throws Exception {
        KernelResult result = await(kernels.kernel("square").process(KernelRequest.of(Tensor.of(3f))));
        assertArrayEquals(new float[] {9f}, result.output().data(), "answered though max-delay is an hour");
        assertEquals(1, result.timing().batchSize());
    }

    @Test
    void requestsGatherWhileTheKernelIsBusyAndGoInOnePublish() throws Exception {
        List<CompletionStage<KernelResult>> first = send(gated, 1);
        List<CompletionStage<KernelResult>> rest = send(gated, 50);
        awaitWaiting(gated, 50);

        gate.release(2);
        assertNegated(first);
        for (CompletionStage<KernelResult> result : rest) {
            assertEquals(50, await(result).timing().batchSize(), "the gathered requests ran as one batch");
        }
        awaitTrue(() -> counters(gated, 0).published() == 51, "the counters report every request");
        InstanceStatus.InstanceCounters counters = counters(gated, 0);
        assertEquals(2, counters.batches());
        assertEquals(51, counters.published());
        assertEquals(50, counters.largestBatch());
    }

    @Test
    void aLargeRequestToABusyKernelIsPublishedAtOnce() throws Exception {
        List<CompletionStage<KernelResult>> first = send(gated, 1);
        awaitTrue(() -> counters(gated, 0).published() == 1, "the first request is in the ring");
        float[] large = new float[(int) (KernelActor.LARGE_REQUEST_BYTES / Float.BYTES)];
        for (int i = 0; i < large.length; i++) {
            large[i] = i;
        }

        CompletionStage<KernelResult> result = gated.process(KernelRequest.of(Tensor.of(large)));

        awaitTrue(() -> counters(gated, 0).published() == 2,
                "the large request is in the ring though the kernel is busy and max-delay is an hour");
        assertEquals(0, counters(gated, 0).waiting());
        gate.release(2);
        assertNegated(first);
        float[] negated = await(result).output().data();
        for (int i = 0; i < large.length; i++) {
            assertEquals(-large[i], negated[i], "element " + i);
        }
    }

    @Test
    void changingTheBatchSizeWhileRunningTakesEffect() throws Exception {
        await(gated.setBatching(new BatchingSettings(BatchingMode.OPPORTUNISTIC, 10, HOUR)));
        List<CompletionStage<KernelResult>> first = send(gated, 1);
        List<CompletionStage<KernelResult>> rest = send(gated, 50);
        gate.release(100);
        assertNegated(first);
        for (CompletionStage<KernelResult> result : rest) {
            await(result);
        }
        awaitTrue(() -> counters(gated, 0).published() == 51, "the counters report every request");
        assertEquals(6, counters(gated, 0).batches(), "one lone request, then five full batches of ten");
        assertEquals(10, counters(gated, 0).largestBatch());
        assertEquals(10, gated.info().batching().maxBatchSize());
    }

    @Test
    void batchingOffPublishesEveryRequestOnItsOwn() throws Exception {
        await(gated.setBatching(new BatchingSettings(BatchingMode.OFF, 64, HOUR)));
        List<CompletionStage<KernelResult>> results = send(gated, 20);
        gate.release(100);
        for (CompletionStage<KernelResult> result : results) {
            await(result);
        }
        awaitTrue(() -> counters(gated, 0).published() == 20, "the counters report every request");
        assertEquals(20, counters(gated, 0).batches());
        assertEquals(1, counters(gated, 0).largestBatch());
    }

    @Test
    void fixedDelayWaitsForAFullBatch() throws Exception {
        await(gated.setBatching(new BatchingSettings(BatchingMode.FIXED_DELAY, 8, HOUR)));
        gate.release(100);
        List<CompletionStage<KernelResult>> results = send(gated, 8);
        assertNegated(results);
        assertEquals(8, await(results.get(0)).timing().batchSize(), "eight requests, one batch, no delay");
    }
}
