package org.ringkernel.bridge.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.clock.HybridLogicalClock;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.runtime.Completion;
import org.ringkernel.bridge.runtime.CompletionStatus;
import org.ringkernel.bridge.runtime.InjectedFault;
import org.ringkernel.bridge.runtime.KernelErrorCode;
import org.ringkernel.bridge.runtime.KernelInstance;
import org.ringkernel.bridge.runtime.KernelState;
import org.ringkernel.bridge.runtime.KernelStatus;
import org.ringkernel.bridge.runtime.RequestPump;
import org.ringkernel.bridge.runtime.Termination;
import org.ringkernel.bridge.testkit.TestKernels;

/** Every lifecycle transition of a CPU kernel instance, observed through its control block. */
class CpuKernelLifecycleTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final CpuBackend backend = new CpuBackend(HybridLogicalClock.system(), WAIT);

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    private KernelInstance launch(KernelDefinition definition) {
        KernelInstance instance = backend.launch(definition, TestKernels.settings(16, 1 << 16));
        assertEquals(KernelState.LAUNCHED, instance.awaitState(s -> s == KernelState.LAUNCHED, WAIT));
        return instance;
    }

    private static void stage(KernelInstance instance, long id, float... values) {
        KernelRequest request = KernelRequest.of(Tensor.of(values));
        assertTrue(instance.channel().stage(id, instance.definition().bind(request)), "room in the ring");
        instance.channel().publish();
    }

    private static List<Completion> pollUntil(KernelInstance instance, int count) {
        List<Completion> completions = new ArrayList<>();
        awaitTrue(() -> {
            instance.channel().poll(completions::add, Integer.MAX_VALUE);
            return completions.size() >= count;
        }, "completions arrive");
        return completions;
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            LockSupport.parkNanos(100_000);
        }
    }

    /**
     * The host reads completions on the loop's thread ({@link KernelInstance#callAfterCompletions}): each published
     * completion is there when the loop calls, on no other thread, and the loop calls once more when it stopped,
     * with its final state already visible.
     */
    @Test
    void theLoopCallsTheHostAfterEachPublishOfCompletionsAndWhenItStops() {
        KernelInstance instance = launch(TestKernels.scale());
        List<Completion> read = new ArrayList<>();
        List<Thread> callers = new ArrayList<>();
        List<KernelState> statesSeen = new ArrayList<>();
        assertTrue(instance.callAfterCompletions(() -> {
            synchronized (read) {
                callers.add(Thread.currentThread());
                statesSeen.add(instance.state());
                instance.channel().poll(read::add, Integer.MAX_VALUE);
            }
        }), "a CPU loop calls the host");
        instance.activate();
        int count = 200;
        for (int id = 0; id < count; id++) {
            stage(instance, id, id);
            if (id % 8 == 7) {
                // Within the ring's 16 slots: the next wave goes once the listener read this one.
                int sent = id + 1;
                awaitTrue(() -> {
                    synchronized (read) {
                        return read.size() == sent;
                    }
                }, "the listener read every completion of the wave");
            }
        }

        assertTrue(instance.terminate(WAIT).stopped());
        synchronized (read) {
            for (int id = 0; id < count; id++) {
                assertEquals(id, read.get(id).requestId(), "completions in order");
                assertArrayEquals(new float[] {2f * id}, read.get(id).outputs().get(0).data());
            }
            assertTrue(callers.stream().allMatch(caller -> caller.getName().startsWith("ringkernel-")),
                    "only the loop's thread called: " + callers);
            assertEquals(KernelState.TERMINATED, statesSeen.get(statesSeen.size() - 1), "the last call is the stop");
            assertEquals(1, statesSeen.stream().filter(KernelState::isFinal).count(), "the stop is called once");
        }
    }

    @Test
    void launchedKernelTakesNoRequestUntilActivated() {
        KernelInstance instance = launch(TestKernels.scale());
        stage(instance, 1, 1f, 2f);
        assertEquals(0, instance.counters().messagesProcessed(), "a launched kernel waits for activation");

        instance.activate();
        assertEquals(KernelState.ACTIVE, instance.awaitState(s -> s == KernelState.ACTIVE, WAIT));
        Completion completion = pollUntil(instance, 1).get(0);
        assertEquals(CompletionStatus.OK, completion.status());
        assertArrayEquals(new float[] {2f, 4f}, completion.outputs().get(0).data());
        assertEquals(1, instance.counters().messagesProcessed());
    }

    @Test
    void pausedKernelHoldsRequestsUntilResumed() {
        KernelInstance instance = launch(TestKernels.scale());
        instance.activate();
        instance.awaitState(s -> s == KernelState.ACTIVE, WAIT);
        instance.pause();
        assertEquals(KernelState.PAUSED, instance.awaitState(s -> s == KernelState.PAUSED, WAIT));
        stage(instance, 7, 3f);
        assertEquals(0, instance.counters().messagesProcessed(), "a paused kernel takes nothing");

        instance.resume();
        assertEquals(KernelState.ACTIVE, instance.awaitState(s -> s == KernelState.ACTIVE, WAIT));
        Completion completion = pollUntil(instance, 1).get(0);
        assertEquals(7, completion.requestId());
        assertArrayEquals(new float[] {6f}, completion.outputs().get(0).data());
    }

    @Test
    void terminateStopsTheLoopAndReportsTerminated() {
        KernelInstance instance = launch(TestKernels.scale());
        instance.activate();
        Termination termination = instance.terminate(WAIT);
        assertTrue(termination.stopped(), termination.message());
        assertEquals(KernelState.TERMINATED, termination.state());
        assertEquals(KernelState.TERMINATED, instance.state());
    }

    @Test
    void requestsLeftInTheRingAtTerminationAreReportedTerminated() {
        KernelInstance instance = launch(TestKernels.scale());
        stage(instance, 1, 1f);
        stage(instance, 2, 2f);
        assertTrue(instance.terminate(WAIT).stopped());

        List<Completion> completions = new ArrayList<>();
        assertEquals(2, instance.channel().failInFlight(CompletionStatus.TERMINATED, completions::add));
        assertEquals(List.of(1L, 2L), completions.stream().map(Completion::requestId).toList());
        assertTrue(completions.stream().allMatch(c -> c.status() == CompletionStatus.TERMINATED));
    }

    @Test
    void busyKernelStopsAfterItsBatchAndATimeoutIsReported() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        KernelInstance instance = launch(TestKernels.blocking(entered, release));
        instance.activate();
        stage(instance, 1, 5f);
        assertTrue(entered.await(10, TimeUnit.SECONDS), "the kernel took the request");

        Termination timedOut = instance.terminate(Duration.ofMillis(50));
        assertFalse(timedOut.stopped());
        assertTrue(timedOut.message().contains("kernel 'blocking' instance"), timedOut.message());
        assertTrue(timedOut.message().contains("did not stop within 50 ms"), timedOut.message());
        assertEquals(KernelState.ACTIVE, timedOut.state(), "still busy with its batch");

        release.countDown();
        Termination stopped = instance.terminate(WAIT);
        assertTrue(stopped.stopped(), stopped.message());
        assertEquals(KernelState.TERMINATED, stopped.state());
        Completion busy = pollUntil(instance, 1).get(0);
        assertEquals(CompletionStatus.OK, busy.status(), "the batch that was running completes");
        assertArrayEquals(new float[] {10f}, busy.outputs().get(0).data());
    }

    @Test
    void anExceptionInTheImplementationFailsTheKernelAndEveryRequestGetsOneAnswer() throws TimeoutException {
        KernelInstance instance = launch(TestKernels.failingOnNegative());
        instance.activate();
        KernelDefinition definition = instance.definition();
        List<Completion> completions = RequestPump.run(instance, List.of(
                definition.bind(KernelRequest.of(Tensor.of(1f))),
                definition.bind(KernelRequest.of(Tensor.of(-1f))),
                definition.bind(KernelRequest.of(Tensor.of(2f)))), WAIT);

        assertEquals(3, completions.size());
        assertTrue(completions.stream().noneMatch(c -> c == null), "every request answered");
        assertTrue(completions.stream().skip(1).allMatch(c -> c.status() == CompletionStatus.KERNEL_FAILED),
                "requests of the failed batch and after it are reported failed: " + completions);
        KernelStatus status = instance.status();
        assertEquals(KernelState.FAILED, status.state());
        assertEquals(KernelErrorCode.KERNEL_EXCEPTION, status.error());
        String failure = status.failure().orElseThrow();
        assertTrue(failure.startsWith("the kernel's implementation failed while processing a batch (detail "), failure);
        assertTrue(failure.endsWith(": negative input in request 1"), failure);
    }

    @Test
    void heartbeatGrowsWhileTheLoopIdles() {
        KernelInstance instance = launch(TestKernels.scale());
        instance.activate();
        long first = instance.counters().heartbeat();
        awaitTrue(() -> instance.counters().heartbeat() > first, "the heartbeat advances");
    }

    @Test
    void countersAndClockFollowTheWork() throws TimeoutException {
        KernelInstance instance = launch(TestKernels.scale());
        instance.activate();
        List<org.ringkernel.bridge.kernel.BoundRequest> requests = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            requests.add(instance.definition().bind(KernelRequest.of(Tensor.of(i, i + 1))));
        }
        List<Completion> completions = RequestPump.run(instance, requests, WAIT);
        for (int i = 0; i < 100; i++) {
            assertEquals(i, completions.get(i).requestId());
            assertArrayEquals(new float[] {2f * i, 2f * i + 2}, completions.get(i).outputs().get(0).data());
        }
        assertEquals(100, instance.counters().messagesProcessed());
        assertEquals(100, instance.counters().completed());
        assertTrue(instance.counters().batchesProcessed() >= 1 && instance.counters().batchesProcessed() <= 100);
        assertTrue(instance.kernelClock() > 0, "the kernel's clock ran");
        assertTrue(completions.get(99).clock() > completions.get(0).clock(), "completions are read in clock order");
    }

    @Test
    void closingTheBackendTerminatesTheInstancesStillRunning() {
        KernelInstance running = launch(TestKernels.scale());
        running.activate();
        KernelInstance stopped = launch(TestKernels.scale());
        assertTrue(stopped.terminate(WAIT).stopped());

        backend.close();
        assertEquals(KernelState.TERMINATED, running.state());
        assertEquals(KernelState.TERMINATED, stopped.state());
    }

    @Test
    void injectedFailureFailsTheNextBatch() throws TimeoutException {
        KernelInstance instance = launch(TestKernels.scale());
        instance.activate();
        instance.inject(InjectedFault.FAIL_NEXT_BATCH);
        Completion completion = RequestPump.call(instance, instance.definition().bind(KernelRequest.of(Tensor.of(1f))), WAIT);

        assertEquals(CompletionStatus.KERNEL_FAILED, completion.status());
        assertEquals(KernelErrorCode.KERNEL_EXCEPTION, instance.status().error());
        assertTrue(instance.status().failure().orElseThrow().contains("injected fault"), instance.status().failure().get());
    }

    @Test
    void injectedHangHoldsTheLoopUntilTheInstanceIsAbandoned() {
        KernelInstance instance = launch(TestKernels.scale());
        instance.activate();
        instance.inject(InjectedFault.HANG_NEXT_BATCH);
        stage(instance, 1, 1f);
        String loopThread = "ringkernel-cpu-thread-scale-" + instance.instance();
        awaitTrue(() -> Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(loopThread) && t.getState() == Thread.State.WAITING),
                "the loop hangs in its batch (parked without a deadline)");

        Termination stuck = instance.terminate(Duration.ofMillis(50));
        assertFalse(stuck.stopped(), "a hung loop does not stop: " + stuck.message());

        instance.abandon();
        awaitTrue(() -> instance.state().isFinal(), "the abandoned loop ends");
        assertEquals(0, instance.counters().messagesProcessed(), "the hung batch never completed");
    }
}
