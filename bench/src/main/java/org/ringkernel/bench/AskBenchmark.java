package org.ringkernel.bench;

import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.bridge.kernel.KernelRequest;

/**
 * Ask round trip, one request in flight, from a thread outside the actor system: {@link KernelRef#process} on the
 * {@code square} kernel against {@link AskPattern#askWithStatus} to {@link PlainSquare}. Sampled, so the JSON
 * carries percentiles; the table reports p50.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
@State(Scope.Benchmark)
public class AskBenchmark {
    private ActorSystem<Void> system;
    private KernelRef square;
    private ActorRef<PlainSquare.Command> plain;
    private KernelRequest request;
    private float[] values;

    @Setup
    public void setUp() {
        system = BenchSystems.create("ask", "ringkernel.kernels.start = [square]");
        square = RingKernels.get(system).kernel("square");
        plain = system.systemActorOf(PlainSquare.create(), "plain", Props.empty());
        request = Payloads.smallRequest();
        values = Payloads.small();
    }

    @TearDown
    public void tearDown() throws Exception {
        BenchSystems.terminate(system);
    }

    @Benchmark
    public KernelResult bridgeProcess() throws Exception {
        return square.process(request, BenchSystems.TIMEOUT).toCompletableFuture()
                .get(BenchSystems.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Benchmark
    public float[] plainAsk() throws Exception {
        return AskPattern.<PlainSquare.Command, float[]>askWithStatus(plain,
                        replyTo -> new PlainSquare.Square(values, replyTo), BenchSystems.TIMEOUT, system.scheduler())
                .toCompletableFuture().get(BenchSystems.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
}
