package org.ringkernel.bench;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.ringkernel.bridge.clock.HybridLogicalClock;
import org.ringkernel.bridge.cpu.CpuBackend;
import org.ringkernel.bridge.kernel.BoundRequest;
import org.ringkernel.bridge.runtime.BridgeSettings;
import org.ringkernel.bridge.runtime.Completion;
import org.ringkernel.bridge.runtime.InstanceSettings;
import org.ringkernel.bridge.runtime.KernelInstance;
import org.ringkernel.bridge.runtime.KernelState;
import org.ringkernel.bridge.runtime.RequestPump;

/**
 * What batching buys where it acts, at the ring: one host thread keeps {@link #WINDOW} requests of 16 floats
 * in flight through a CPU instance of the kernel whose every dispatch costs {@link DispatchSquareKernel#DISPATCH_NANOS}
 * (standing in for a GPU launch). {@code batched}: the kernel takes up to 64 ready requests per dequeue and
 * pays one dispatch for them; {@code unbatched}: it takes one per dequeue, so each request pays a dispatch.
 * The host side (staging, one release per publish, reading completions) is the same in both.
 */
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
@State(Scope.Benchmark)
public class RingBatchingBenchmark {
    static final int WINDOW = 256;
    static final int REQUESTS = 4096;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Param({"batched", "unbatched"})
    public String batching;

    private CpuBackend backend;
    private KernelInstance instance;
    private List<BoundRequest> requests;

    @Setup
    public void setUp() {
        backend = new CpuBackend(HybridLogicalClock.system(), Duration.ofSeconds(5));
        int maxBatch = batching.equals("batched") ? 64 : 1;
        instance = backend.launch(DispatchSquareKernel.definition(), new InstanceSettings(WINDOW, 1 << 20, maxBatch,
                false, BridgeSettings.load().instance().idle()));
        instance.activate();
        KernelState state = instance.awaitState(s -> s == KernelState.ACTIVE, TIMEOUT);
        if (state != KernelState.ACTIVE) {
            throw new IllegalStateException(instance + " did not become active: " + state);
        }
        requests = Collections.nCopies(REQUESTS, instance.definition().bind(Payloads.smallRequest()));
    }

    @TearDown
    public void tearDown() {
        backend.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(REQUESTS)
    public int throughput() throws TimeoutException {
        List<Completion> done = RequestPump.run(instance, requests, TIMEOUT);
        Completion last = done.get(done.size() - 1);
        if (!last.ok()) {
            throw new IllegalStateException(instance + " answered " + last.status());
        }
        return last.batchSize();
    }
}
