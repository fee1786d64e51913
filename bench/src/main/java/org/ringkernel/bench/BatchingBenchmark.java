package org.ringkernel.bench;

import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
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
import org.ringkernel.actors.KernelCommand;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.bridge.kernel.KernelRequest;

/**
 * What batching buys when every dispatch costs {@link DispatchSquareKernel#DISPATCH_NANOS}: throughput with
 * {@link TellBenchmark#WINDOW} requests in flight, and the round trip of a lone request, for
 * <ul>
 *   <li>{@code batched}: opportunistic batching, at most 64 requests per publish and per kernel dequeue;</li>
 *   <li>{@code unbatched}: batching off, each request published on its own, and the kernel taking one request per
 *   dequeue, so every request pays a dispatch (with batching off alone, the kernel would still take every
 *   published request at once).</li>
 * </ul>
 */
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
@State(Scope.Benchmark)
public class BatchingBenchmark {
    @Param({"batched", "unbatched"})
    public String batching;

    private ActorSystem<Void> system;
    private KernelRef kernel;
    private KernelRequest request;
    private ActorRef<ReplyCounter.Command> counter;

    @Setup
    public void setUp() {
        boolean batched = batching.equals("batched");
        system = BenchSystems.create("batching", String.join("\n",
                "ringkernel.kernels.start = []",
                "ringkernel.batching.mode = " + (batched ? "opportunistic" : "off"),
                "ringkernel.batching.max-batch-size = 64",
                "ringkernel.kernel.max-batch-size = " + (batched ? 64 : 1)));
        kernel = RingKernels.get(system).register(DispatchSquareKernel.definition());
        request = Payloads.smallRequest();
        counter = system.systemActorOf(ReplyCounter.<KernelCommand, KernelResult>create(kernel.ref(),
                replyTo -> new KernelCommand.Process(request, BenchSystems.TIMEOUT, replyTo)), "counter",
                Props.empty());
    }

    @TearDown
    public void tearDown() throws Exception {
        BenchSystems.terminate(system);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(TellBenchmark.MESSAGES)
    public void throughput() throws Exception {
        ReplyCounter.drive(counter, TellBenchmark.MESSAGES, TellBenchmark.WINDOW);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public KernelResult lone() throws Exception {
        return kernel.process(request, BenchSystems.TIMEOUT).toCompletableFuture()
                .get(BenchSystems.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
}
