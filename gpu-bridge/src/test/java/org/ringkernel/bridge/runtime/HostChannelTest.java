package org.ringkernel.bridge.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.clock.HybridLogicalClock;
import org.ringkernel.bridge.cpu.CpuBackend;
import org.ringkernel.bridge.kernel.BoundRequest;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.RequestCost;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.ring.CompletionDescriptor;
import org.ringkernel.bridge.ring.ControlBlock;
import org.ringkernel.bridge.ring.KernelMemoryLayout;
import org.ringkernel.bridge.ring.RequestDescriptor;
import org.ringkernel.bridge.ring.RingWriter;
import org.ringkernel.bridge.ring.SharedMemory;
import org.ringkernel.bridge.testkit.LaunchPathDevice;
import org.ringkernel.bridge.testkit.TestKernels;

/** The host's ends of the rings: backpressure, arena limits, and exactly one completion per request. */
class HostChannelTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final CpuBackend backend = new CpuBackend(HybridLogicalClock.system(), WAIT);

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    private KernelInstance launch(int capacity, int arena) {
        return backend.launch(TestKernels.scale(), TestKernels.settings(capacity, arena));
    }

    private static BoundRequest request(KernelInstance instance, int size, float seed) {
        float[] data = new float[size];
        for (int i = 0; i < size; i++) {
            data[i] = seed + i;
        }
        return instance.definition().bind(KernelRequest.of(Tensor.of(data)));
    }

    @Test
    void fullRingIsBackpressureUntilCompletionsAreRead() throws Exception {
        KernelInstance instance = launch(4, 1 << 16);
        HostChannel channel = instance.channel();
        for (int i = 0; i < 4; i++) {
            assertTrue(channel.stage(i, request(instance, 3, i)));
        }
        assertFalse(channel.stage(4, request(instance, 3, 4)), "a full ring refuses, it does not overwrite");
        assertEquals(4, channel.publish());

        instance.activate();
        int[] read = new int[1];
        while (read[0] < 4) {
            read[0] += channel.poll(c -> assertEquals(CompletionStatus.OK, c.status()), 4);
            Thread.onSpinWait();
        }
        assertTrue(channel.stage(4, request(instance, 3, 4)), "room again once completions are read");
        channel.publish();
    }

    @Test
    void fullArenaIsBackpressureAndAnOversizedRequestIsAnError() {
        KernelInstance instance = launch(16, 1024);
        HostChannel channel = instance.channel();
        assertTrue(channel.stage(0, request(instance, 64, 0)), "256 bytes in, 256 out");
        assertTrue(channel.stage(1, request(instance, 64, 1)));
        assertFalse(channel.stage(2, request(instance, 64, 2)), "the arena is full");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> channel.stage(3, request(instance, 200, 3)));
        assertEquals("kernel 'scale': the request needs 1664 bytes of arena (inputs and outputs) but the arena holds 1024",
                e.getMessage());
    }

    @Test
    void outputsArePoisonedBeforeTheKernelWrites() throws Exception {
        KernelInstance instance = launch(4, 1 << 12);
        instance.activate();
        Completion completion = RequestPump.call(instance, request(instance, 5, 1f), WAIT);
        assertArrayEquals(new float[] {2, 4, 6, 8, 10}, completion.outputs().get(0).data());
    }

    /**
     * A producer thread and a consumer thread drive one instance as the actor bridge will: tens of thousands
     * of requests of random sizes through a small ring and arena, each answered exactly once and correctly.
     */
    @Test
    void producerAndConsumerThreadsGetExactlyOneCorrectCompletionPerRequest() throws Exception {
        int total = 40_000;
        KernelInstance instance = launch(32, 1 << 14);
        instance.activate();
        HostChannel channel = instance.channel();
        AtomicReferenceArray<Completion> answers = new AtomicReferenceArray<>(total);
        AtomicBoolean duplicate = new AtomicBoolean();

        CompletableFuture<Void> consumer = CompletableFuture.runAsync(() -> {
            long read = 0;
            while (read < total) {
                int n = channel.poll(c -> {
                    if (!answers.compareAndSet((int) c.requestId(), null, c)) {
                        duplicate.set(true);
                    }
                }, 64);
                read += n;
                if (n == 0) {
                    LockSupport.parkNanos(10_000);
                }
            }
        });
        SplittableRandom random = new SplittableRandom(3);
        int[] sizes = new int[total];
        for (int id = 0; id < total; id++) {
            sizes[id] = 1 + random.nextInt(300);
            BoundRequest bound = request(instance, sizes[id], id);
            while (!channel.stage(id, bound)) {
                channel.publish();
                Thread.onSpinWait();
            }
            if (random.nextInt(4) == 0) {
                channel.publish();
            }
        }
        channel.publish();
        consumer.get(60, TimeUnit.SECONDS);

        assertFalse(duplicate.get(), "no request answered twice");
        for (int id = 0; id < total; id++) {
            Completion c = answers.get(id);
            assertEquals(CompletionStatus.OK, c.status(), "request " + id);
            float[] out = c.outputs().get(0).data();
            assertEquals(sizes[id], out.length);
            assertEquals(2f * id, out[0], "request " + id);
            assertEquals(2f * (id + sizes[id] - 1), out[sizes[id] - 1], "request " + id);
        }
        assertEquals(total, instance.counters().messagesProcessed());
        assertTrue(instance.counters().meanBatchSize() >= 1);
    }

    /** One block at 1 G flops and 1 G bytes a second, a ring budget of 5 us and, where given, a limit. */
    private static RingPathSettings ring(Optional<Duration> limit) {
        return new RingPathSettings(1e9, 1e9, Duration.ofNanos(5_000), limit);
    }

    private static KernelInstance onRingKernel(KernelDefinition kernel, ByteBuffer memory, KernelMemoryLayout layout,
                                               DeviceExecution device) {
        new ControlBlock(memory, 0).hostInitialize(8, 8, layout.arenaLength(), 0);
        return new KernelInstance(kernel, 1, memory, layout, TestKernels.settings(8, 1 << 16),
                HybridLogicalClock.system(), device);
    }

    @Test
    void requestsEstimatedOverTheRingBudgetAreFlaggedAndHandedToTheLaunchPathOncePublished() {
        KernelMemoryLayout layout = KernelMemoryLayout.of(8, 1 << 16);
        ByteBuffer memory = SharedMemory.allocateAligned(layout.totalLength());
        List<Long> launched = new ArrayList<>();
        KernelInstance instance = onRingKernel(TestKernels.scale(), memory, layout,
                new LaunchPathDevice(ring(Optional.empty()), launched::add));
        HostChannel channel = instance.channel();

        // scale has the bytes-proportional default: 2n flops and 8n bytes, 10n ns at these rates.
        assertTrue(channel.stage(0, request(instance, 16, 1)), "160 ns stay on the ring");
        assertTrue(channel.stage(1, request(instance, 1000, 1)), "10 us take the launch path");
        assertTrue(launched.isEmpty(), "nothing is launched before the publish");
        channel.publish();

        assertEquals(List.of(1L), launched);
        RingWriter h2k = new RingWriter(memory, layout.h2kOffset(), 8, RequestDescriptor.LENGTH);
        assertEquals(0, memory.getInt(h2k.recordOffset(0) + RequestDescriptor.FLAGS_OFFSET));
        assertEquals(RequestDescriptor.FLAG_LAUNCH_PATH, memory.getInt(h2k.recordOffset(1) + RequestDescriptor.FLAGS_OFFSET));

        RingWriter k2h = new RingWriter(memory, layout.k2hOffset(), 8, CompletionDescriptor.LENGTH);
        for (int position = 0; position < 2; position++) {
            CompletionDescriptor.write(memory, k2h.recordOffset(position), position, 0, CompletionStatus.OK.code(), 1, 0,
                    position == 0 ? CompletionDescriptor.PATH_RING : CompletionDescriptor.PATH_LAUNCH);
            k2h.publishStamped(position);
        }
        List<Completion> completions = new ArrayList<>();
        assertEquals(2, channel.poll(completions::add, 8));
        assertEquals(ExecutionPath.RING, completions.get(0).path());
        assertEquals(ExecutionPath.LAUNCH, completions.get(1).path());
    }

    @Test
    void aKernelsOwnCostEstimateChoosesThePath() {
        KernelMemoryLayout layout = KernelMemoryLayout.of(8, 1 << 16);
        ByteBuffer memory = SharedMemory.allocateAligned(layout.totalLength());
        List<Long> launched = new ArrayList<>();
        KernelDefinition scale = TestKernels.scale();
        KernelDefinition heavy = new KernelDefinition("heavy", "scale, declared a million flops a request",
                scale.signature().withCost(request -> new RequestCost(1e6, 0)), scale.cpu(), Optional.empty(), true);
        KernelInstance instance = onRingKernel(heavy, memory, layout,
                new LaunchPathDevice(ring(Optional.empty()), launched::add));

        assertTrue(instance.channel().stage(0, request(instance, 4, 1)), "1 ms by its own estimate");
        instance.channel().publish();

        assertEquals(List.of(0L), launched, "16 bytes alone would have stayed on the ring");
    }

    @Test
    void aRequestThatCouldHoldARingBlockUntilTheLimitIsRefusedWhereThereIsNoLaunchPath() {
        KernelMemoryLayout layout = KernelMemoryLayout.of(8, 1 << 16);
        ByteBuffer memory = SharedMemory.allocateAligned(layout.totalLength());
        KernelDefinition scale = TestKernels.scale();
        KernelDefinition heavy = new KernelDefinition("heavy", "scale, declared two seconds a request",
                scale.signature().withCost(request -> new RequestCost(2e9, 0)), scale.cpu(), Optional.empty(), true);
        KernelInstance instance = onRingKernel(heavy, memory, layout,
                LaunchPathDevice.withoutLaunchPath(ring(Optional.of(Duration.ofSeconds(1)))));
        HostChannel channel = instance.channel();

        RequestTooCostlyException refused = assertThrows(RequestTooCostlyException.class,
                () -> channel.stage(0, request(instance, 4, 1)));
        assertTrue(refused.getMessage().contains("kernel 'heavy'"), refused.getMessage());
        assertTrue(refused.getMessage().contains("estimated at 2.00 s"), refused.getMessage());
        assertTrue(refused.getMessage().contains("1 s limit"), refused.getMessage());
        assertTrue(refused.getMessage().contains("no launch path"), refused.getMessage());
        assertEquals(0, channel.publish(), "nothing of the refused request was staged");
    }

    @Test
    void aRequestOverTheBudgetButBelowTheLimitStaysOnARingWithoutLaunchPath() {
        KernelMemoryLayout layout = KernelMemoryLayout.of(8, 1 << 16);
        ByteBuffer memory = SharedMemory.allocateAligned(layout.totalLength());
        KernelInstance instance = onRingKernel(TestKernels.scale(), memory, layout,
                LaunchPathDevice.withoutLaunchPath(ring(Optional.of(Duration.ofSeconds(1)))));

        assertTrue(instance.channel().stage(0, request(instance, 1000, 1)), "10 us, on the ring");
        assertEquals(1, instance.channel().publish());
        RingWriter h2k = new RingWriter(memory, layout.h2kOffset(), 8, RequestDescriptor.LENGTH);
        assertEquals(0, memory.getInt(h2k.recordOffset(0) + RequestDescriptor.FLAGS_OFFSET));
    }

    @Test
    void theCpuLoopRunsEveryRequestHoweverCostly() throws Exception {
        KernelDefinition scale = TestKernels.scale();
        KernelDefinition heavy = new KernelDefinition("heavy", "scale, declared an hour a request",
                scale.signature().withCost(request -> new RequestCost(3.6e12, 0)), scale.cpu(), Optional.empty(), true);
        KernelInstance instance = backend.launch(heavy, TestKernels.settings(8, 1 << 16));
        instance.activate();

        Completion completion = RequestPump.call(instance, instance.definition().bind(KernelRequest.of(Tensor.of(3f))),
                WAIT);

        assertEquals(CompletionStatus.OK, completion.status());
        assertEquals(ExecutionPath.RING, completion.path());
        assertEquals(6f, completion.outputs().get(0).get(0));
    }
}
