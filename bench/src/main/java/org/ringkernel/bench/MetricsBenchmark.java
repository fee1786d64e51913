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
import org.ringkernel.actors.KernelResult;
import org.ringkernel.actors.RingKernels;

/**
 * What recording metrics costs: tell throughput of the {@code square} kernel's actor (CPU backend, 16 floats,
 * {@link TellBenchmark#WINDOW} in flight) with {@code ringkernel.telemetry.enabled} on and off. Recording goes
 * to Kamon's registry whether or not a reporter reads it, so no reporter is started.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
@State(Scope.Benchmark)
public class MetricsBenchmark {
    @Param({"on", "off"})
    public String telemetry;

    private ActorSystem<Void> system;
    private ActorRef<ReplyCounter.Command> square;

    @Setup
    public void setUp() {
        system = BenchSystems.create("metrics", "ringkernel.kernels.start = [square]\n"
                + "ringkernel.telemetry.enabled = " + telemetry);
        ActorRef<KernelCommand> kernel = RingKernels.get(system).kernel("square").ref();
        square = system.systemActorOf(ReplyCounter.<KernelCommand, KernelResult>create(kernel,
                replyTo -> new KernelCommand.Process(Payloads.smallRequest(), BenchSystems.TIMEOUT, replyTo)),
                "square-counter", Props.empty());
    }

    @TearDown
    public void tearDown() throws Exception {
        BenchSystems.terminate(system);
    }

    @Benchmark
    @OperationsPerInvocation(TellBenchmark.MESSAGES)
    public void tellSquare() throws Exception {
        ReplyCounter.drive(square, TellBenchmark.MESSAGES, TellBenchmark.WINDOW);
    }
}
