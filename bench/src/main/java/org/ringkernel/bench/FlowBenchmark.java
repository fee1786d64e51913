package org.ringkernel.bench;

import java.util.concurrent.TimeUnit;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorFlow;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.actors.stream.KernelFlows;
import org.ringkernel.bridge.kernel.KernelRequest;

/**
 * Elements per second through a stream of {@link #ELEMENTS} requests of 16 floats: {@link KernelFlows#ordered}
 * on the {@code square} kernel (parallelism 64) against Pekko's {@link ActorFlow#ask} to {@link PlainSquare} at the
 * same parallelism, and an inline {@code map} squaring the same floats.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
@State(Scope.Benchmark)
public class FlowBenchmark {
    static final int ELEMENTS = 10_000;
    static final int PARALLELISM = 64;

    private ActorSystem<Void> system;
    private Flow<KernelRequest, KernelResult, NotUsed> kernelFlow;
    private Flow<float[], StatusReply<float[]>, NotUsed> askFlow;
    private KernelRequest request;
    private float[] values;

    @Setup
    public void setUp() {
        system = BenchSystems.create("flows", "ringkernel.kernels.start = [square]");
        kernelFlow = KernelFlows.ordered(RingKernels.get(system).kernel("square"), PARALLELISM);
        ActorRef<PlainSquare.Command> plain = system.systemActorOf(PlainSquare.create(), "plain", Props.empty());
        askFlow = ActorFlow.ask(PARALLELISM, plain, BenchSystems.TIMEOUT, PlainSquare.Square::new);
        request = Payloads.smallRequest();
        values = Payloads.small();
    }

    @TearDown
    public void tearDown() throws Exception {
        BenchSystems.terminate(system);
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public long kernelFlowOrdered() throws Exception {
        long ok = Source.range(1, ELEMENTS).map(i -> request).via(kernelFlow)
                .runWith(Sink.fold(0L, (count, result) -> result.ok() ? count + 1 : count), system)
                .toCompletableFuture().get(BenchSystems.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (ok != ELEMENTS) {
            throw new IllegalStateException((ELEMENTS - ok) + " of " + ELEMENTS + " requests failed");
        }
        return ok;
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public long actorFlowAsk() throws Exception {
        long ok = Source.range(1, ELEMENTS).map(i -> values).via(askFlow)
                .runWith(Sink.fold(0L, (count, reply) -> reply.isSuccess() ? count + 1 : count), system)
                .toCompletableFuture().get(BenchSystems.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (ok != ELEMENTS) {
            throw new IllegalStateException((ELEMENTS - ok) + " of " + ELEMENTS + " asks failed");
        }
        return ok;
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public long inlineMap() throws Exception {
        return Source.range(1, ELEMENTS).map(i -> Payloads.square(values))
                .runWith(Sink.fold(0L, (count, squares) -> count + squares.length / Payloads.SMALL), system)
                .toCompletableFuture().get(BenchSystems.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
}
