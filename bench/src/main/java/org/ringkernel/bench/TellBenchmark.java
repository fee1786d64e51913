package org.ringkernel.bench;

import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
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
import org.ringkernel.actors.KernelCommand;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.bridge.kernel.KernelRequest;

/**
 * Tell throughput, messages per second from tell to reply: the {@code echo} and {@code square} kernels' actors
 * (CPU backend, 16 floats) against {@link PlainSquare}, a plain typed actor squaring the same 16 floats, alone and
 * inside the supervision and timers a kernel's actor has ({@link PlainSquare#supervised()}). The same
 * {@link ReplyCounter} drives each, with {@link #WINDOW} messages in flight.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
@State(Scope.Benchmark)
public class TellBenchmark {
    static final int MESSAGES = 20_000;
    /** Messages in flight: half the ring's default capacity, enough to fill batches of 64. */
    static final int WINDOW = 512;

    private ActorSystem<Void> system;
    private ActorRef<ReplyCounter.Command> echo;
    private ActorRef<ReplyCounter.Command> square;
    private ActorRef<ReplyCounter.Command> plain;
    private ActorRef<ReplyCounter.Command> plainSupervised;

    @Setup
    public void setUp() {
        system = BenchSystems.create("tell", "ringkernel.kernels.start = [echo, square]");
        RingKernels kernels = RingKernels.get(system);
        KernelRequest request = Payloads.smallRequest();
        echo = counter("echo", kernels.kernel("echo").ref(), request);
        square = counter("square", kernels.kernel("square").ref(), request);
        plain = plainCounter("plain", PlainSquare.create());
        plainSupervised = plainCounter("plain-supervised", PlainSquare.supervised());
    }

    private ActorRef<ReplyCounter.Command> plainCounter(String name, Behavior<PlainSquare.Command> behavior) {
        ActorRef<PlainSquare.Command> actor = system.systemActorOf(behavior, name, Props.empty());
        float[] values = Payloads.small();
        return system.systemActorOf(ReplyCounter.<PlainSquare.Command, float[]>create(actor,
                replyTo -> new PlainSquare.Square(values, replyTo)), name + "-counter", Props.empty());
    }

    private ActorRef<ReplyCounter.Command> counter(String name, ActorRef<KernelCommand> kernel, KernelRequest request) {
        return system.systemActorOf(ReplyCounter.<KernelCommand, KernelResult>create(kernel,
                replyTo -> new KernelCommand.Process(request, BenchSystems.TIMEOUT, replyTo)), name + "-counter",
                Props.empty());
    }

    @TearDown
    public void tearDown() throws Exception {
        BenchSystems.terminate(system);
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void bridgeEcho() throws Exception {
        ReplyCounter.drive(echo, MESSAGES, WINDOW);
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void bridgeSquare() throws Exception {
        ReplyCounter.drive(square, MESSAGES, WINDOW);
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void plainSquare() throws Exception {
        ReplyCounter.drive(plain, MESSAGES, WINDOW);
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void plainSquareSupervised() throws Exception {
        ReplyCounter.drive(plainSupervised, MESSAGES, WINDOW);
    }
}
