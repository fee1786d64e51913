package org.ringkernel.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.actors.ActorTestSupport.await;
import static org.ringkernel.actors.ActorTestSupport.awaitTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * Which kernels start when: with the library's defaults none starts with the system, a built-in starts when it is
 * first asked for, and requests sent to it while it starts are answered once each.
 */
class KernelStartTest {
    private static final int CALLERS = 8;
    private static final int REQUESTS_EACH = 250;

    private ActorTestKit testKit;

    @AfterEach
    void stop() {
        if (testKit != null) {
            testKit.shutdownTestKit();
        }
    }

    private RingKernels withDefaults() {
        testKit = ActorTestKit.create(ConfigFactory.load());
        return RingKernels.get(testKit.system());
    }

    @Test
    void withTheDefaultsNoKernelStartsUntilOneIsAskedFor() throws Exception {
        RingKernels kernels = withDefaults();
        assertEquals(List.of(), kernels.settings().startKernels());
        assertEquals(List.of(), ids(kernels));
        assertTrue(kernels.readiness().ready(), "a system running no kernel yet is ready");

        KernelRef square = kernels.kernel("square");
        KernelResult result = await(square.process(KernelRequest.of(Tensor.of(1f, 2f, 3f))));

        assertArrayEquals(new float[] {1f, 4f, 9f}, result.output().data());
        assertEquals(List.of("square"), ids(kernels),
                "only the kernel asked for runs");
    }

    @Test
    void anUnknownIdIsRefusedNamingTheKernelsThereAre() {
        RingKernels kernels = withDefaults();
        UnknownKernelException e = assertThrows(UnknownKernelException.class, () -> kernels.kernel("cube"));
        assertTrue(e.getMessage().startsWith("no kernel 'cube'; the kernels are "), e.getMessage());
        assertTrue(e.getMessage().contains("square"), e.getMessage());
        assertEquals(List.of(), ids(kernels), "nothing started");
    }

    @Test
    void requestsSentWhileTheKernelStartsAreAnsweredOnceEach() throws Exception {
        RingKernels kernels = withDefaults();
        int total = CALLERS * REQUESTS_EACH;
        AtomicIntegerArray counts = new AtomicIntegerArray(total);
        AtomicReferenceArray<StatusReply<KernelResult>> replies = new AtomicReferenceArray<>(total);
        List<ActorRef<StatusReply<KernelResult>>> replyTos = new ArrayList<>(total);
        for (int id = 0; id < total; id++) {
            int request = id;
            replyTos.add(testKit.spawn(Behaviors.<StatusReply<KernelResult>>receiveMessage(reply -> {
                counts.incrementAndGet(request);
                replies.set(request, reply);
                return Behaviors.same();
            })));
        }

        // Every caller asks for the kernel at the same moment and sends its requests as soon as it has the handle,
        // while the first instance may still be launching.
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int caller = 0; caller < CALLERS; caller++) {
                int first = caller * REQUESTS_EACH;
                sent.add(callers.submit(() -> {
                    go.await();
                    KernelRef square = kernels.kernel("square");
                    for (int id = first; id < first + REQUESTS_EACH; id++) {
                        square.ref().tell(new KernelCommand.Process(KernelRequest.of(Tensor.of(id, -id)),
                                Duration.ofSeconds(20), replyTos.get(id)));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : sent) {
                future.get();
            }
        } finally {
            callers.shutdown();
        }

        awaitTrue(() -> answered(counts) == total, "every request is answered");
        KernelRef square = kernels.kernel("square");
        awaitTrue(() -> square.info().instances().stream().allMatch(i -> i.counters().received() == total
                && i.counters().inFlight() == 0 && i.counters().waiting() == 0),
                "its one instance reports every request taken and nothing held any more");
        for (int id = 0; id < total; id++) {
            assertEquals(1, counts.get(id), "replies to request " + id);
            assertArrayEquals(new float[] {(float) id * id, (float) id * id},
                    replies.get(id).getValue().output().data(), "result of request " + id);
        }
        assertEquals(List.of("square"), ids(kernels), "the kernel started once");
    }

    private static List<String> ids(RingKernels kernels) {
        return kernels.kernels().stream().map(KernelInfo::id).toList();
    }

    private static int answered(AtomicIntegerArray counts) {
        int answered = 0;
        for (int i = 0; i < counts.length(); i++) {
            answered += Math.min(1, counts.get(i));
        }
        return answered;
    }
}
