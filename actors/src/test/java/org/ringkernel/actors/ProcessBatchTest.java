package org.ringkernel.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.actors.ActorTestSupport.await;
import static org.ringkernel.actors.ActorTestSupport.awaitTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.runtime.Completion;
import org.ringkernel.bridge.runtime.CompletionStatus;
import org.ringkernel.bridge.runtime.ExecutionPath;

/**
 * {@link KernelCommand.ProcessBatch}: one answer per request, in groups of what the kernel answered at one moment;
 * spread over a kernel's instances; and answered in full when the actor is restarted with the batch in its ring.
 */
class ProcessBatchTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final long FIRST_TAG = 1_000;

    private ActorTestKit testKit;

    @AfterEach
    void stop() {
        if (testKit != null) {
            testKit.shutdownTestKit();
        }
    }

    private RingKernels start(int instances) {
        testKit = ActorTestSupport.testKit("""
                ringkernel.backend = cpu
                ringkernel.kernels.start = [square]
                ringkernel.kernels.instances = %d
                """.formatted(instances));
        return RingKernels.get(testKit.system());
    }

    @Test
    void eachRequestIsAnsweredOnceAndTheBatchsRejectionsComeFirstInOneGroup() {
        KernelRef square = start(1).kernel("square");
        List<KernelRequest> requests = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            requests.add(i % 7 == 3 ? KernelRequest.of(Tensor.of(1f), Tensor.of(2f)) : KernelRequest.of(Tensor.of(i + 1f)));
        }
        TestProbe<TaggedResults> probe = testKit.createTestProbe();

        square.ref().tell(new KernelCommand.ProcessBatch(requests, TIMEOUT, FIRST_TAG, probe.ref()));

        TaggedResults rejections = probe.receiveMessage(TIMEOUT);
        assertEquals(Set.of(FIRST_TAG + 3, FIRST_TAG + 10, FIRST_TAG + 17),
                rejections.results().stream().map(TaggedResult::tag).collect(Collectors.toSet()));
        for (TaggedResult rejected : rejections.results()) {
            assertInstanceOf(InvalidRequestException.class, rejected.result().error().orElseThrow());
        }
        Map<Long, KernelResult> answers = collect(probe, requests.size(), rejections);
        for (int i = 0; i < requests.size(); i++) {
            KernelResult result = answers.get(FIRST_TAG + i);
            assertEquals(requests.get(i), result.request(), "tag " + (FIRST_TAG + i));
            if (i % 7 != 3) {
                float x = i + 1f;
                assertEquals((double) x * x, result.output().data()[0], 1e-6 * x * x, "tag " + (FIRST_TAG + i));
            }
        }
    }

    @Test
    void aKernelOfTwoInstancesSpreadsABatchInSlicesAndKeyedRequestsByTheirKey() {
        KernelRef square = start(2).kernel("square");
        awaitTrue(() -> square.info().instances().stream().allMatch(i -> i.phase() == InstanceStatus.Phase.ACTIVE),
                "both instances run");
        List<KernelRequest> requests = new ArrayList<>();
        int[] expected = new int[2];
        for (int i = 0; i < 40; i++) {
            Tensor x = Tensor.of(i + 1f);
            if (i % 2 == 0) {
                String key = "key-" + i % 6;
                requests.add(new KernelRequest(List.of(x), Map.of(), Optional.of(key)));
                expected[Math.floorMod(key.hashCode(), 2)]++;
            } else {
                requests.add(KernelRequest.of(x));
            }
        }
        // The 20 unkeyed requests are cut into two slices of 10, one per instance.
        expected[0] += 10;
        expected[1] += 10;
        TestProbe<TaggedResults> probe = testKit.createTestProbe();

        square.ref().tell(new KernelCommand.ProcessBatch(requests, TIMEOUT, FIRST_TAG, probe.ref()));

        Map<Long, KernelResult> answers = collect(probe, requests.size(), null);
        for (int i = 0; i < requests.size(); i++) {
            float x = i + 1f;
            assertEquals((double) x * x, answers.get(FIRST_TAG + i).output().data()[0], 1e-6 * x * x);
        }
        awaitTrue(() -> ActorTestSupport.counters(square, 0).received() + ActorTestSupport.counters(square, 1).received()
                == requests.size(), "both instances reported what they took");
        assertEquals(expected[0], ActorTestSupport.counters(square, 0).received(), "requests instance 0 took");
        assertEquals(expected[1], ActorTestSupport.counters(square, 1).received(), "requests instance 1 took");
    }

    @Test
    void anActorRestartedWithABatchInItsRingAnswersEveryRequestOnceInOneGroup() throws Exception {
        RingKernels kernels = start(1);
        Semaphore gate = new Semaphore(0);
        KernelRef gated = kernels.register(TestKernels.gated("gated", gate));
        try {
            awaitTrue(() -> gated.info().instances().get(0).phase() == InstanceStatus.Phase.ACTIVE, "the kernel runs");
            List<KernelRequest> requests = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                requests.add(KernelRequest.of(Tensor.of(i + 1f)));
            }
            TestProbe<TaggedResults> probe = testKit.createTestProbe();
            gated.ref().tell(new KernelCommand.ProcessBatch(requests, TIMEOUT, FIRST_TAG, probe.ref()));
            awaitTrue(() -> ActorTestSupport.counters(gated, 0).inFlight() == 6, "the batch is in the ring");

            // A completion the actor cannot match breaks its bookkeeping: Pekko supervision restarts it.
            gated.ref().tell(new InternalKernelCommand.CompletionsArrived(1, List.of(new Completion(999_999,
                    CompletionStatus.OK, List.of(), 0, 0, 1, ExecutionPath.RING, 0, ""))));

            TaggedResults answers = probe.receiveMessage(TIMEOUT);
            assertEquals(6, answers.results().size(), "every request of the batch, in one group: " + answers);
            Map<Long, KernelResult> byTag = new HashMap<>();
            for (TaggedResult answer : answers.results()) {
                assertNull(byTag.put(answer.tag(), answer.result()), "tag " + answer.tag() + " answered twice");
                KernelFailedException failed = assertInstanceOf(KernelFailedException.class,
                        answer.result().error().orElseThrow());
                assertEquals("kernel 'gated' instance 0 cannot answer: the kernel's actor is restarting",
                        failed.getMessage());
            }
            gate.release(1_000);
            probe.expectNoMessage(Duration.ofMillis(300));
            assertEquals(-2f, await(gated.process(KernelRequest.of(Tensor.of(2f)))).output().data()[0],
                    "the restarted actor runs the kernel");
        } finally {
            gate.release(1_000);
        }
    }

    /** Every answer until {@code count} tags are answered, each once, starting with {@code first} if given. */
    private static Map<Long, KernelResult> collect(TestProbe<TaggedResults> probe, int count, TaggedResults first) {
        Map<Long, KernelResult> answers = new HashMap<>();
        List<TaggedResults> groups = new ArrayList<>();
        if (first != null) {
            groups.add(first);
        }
        int answered = first == null ? 0 : first.results().size();
        while (answered < count) {
            TaggedResults group = probe.receiveMessage(TIMEOUT);
            groups.add(group);
            answered += group.results().size();
        }
        for (TaggedResults group : groups) {
            for (TaggedResult answer : group.results()) {
                assertNull(answers.put(answer.tag(), answer.result()), "tag " + answer.tag() + " answered twice");
            }
        }
        assertEquals(count, answers.size());
        assertTrue(groups.size() <= count);
        probe.expectNoMessage(Duration.ofMillis(200));
        return answers;
    }
}
