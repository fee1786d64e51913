package org.ringkernel.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
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
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.bridge.kernel.KernelRequest;

/**
 * Request throughput with {@link #WINDOW} requests in flight from outside the actor system, steady state, 16 floats:
 * {@link KernelRef#process} on the {@code square} kernel against {@link AskPattern#askWithStatus} to
 * {@link PlainSquare}. Each answer sends the next request on the thread that completed it, on both sides (the
 * callbacks of Pekko's ask stage are run there too, as {@code KernelRef.process} runs its own), so they differ only in
 * the path a request travels.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
@State(Scope.Benchmark)
public class ProcessThroughputBenchmark {
    static final int REQUESTS = 20_000;
    static final int WINDOW = 256;

    private ActorSystem<Void> system;
    private KernelRef square;
    private ActorRef<PlainSquare.Command> plain;
    private KernelRequest request;
    private float[] values;

    @Setup
    public void setUp() {
        system = BenchSystems.create("process-throughput", "ringkernel.kernels.start = [square]");
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
    @OperationsPerInvocation(REQUESTS)
    public void kernelProcess() throws Exception {
        ProcessWindow.run(square, request, REQUESTS, WINDOW);
    }

    @Benchmark
    @OperationsPerInvocation(REQUESTS)
    public void plainAsk() throws Exception {
        new AskWindow().run();
    }

    /** The {@link ProcessWindow} of the plain actor: each answer sends the next ask until every one is answered. */
    private final class AskWindow {
        private final AtomicInteger sent = new AtomicInteger();
        private final AtomicInteger answered = new AtomicInteger();
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private final Duration timeout = BenchSystems.TIMEOUT;

        void run() throws Exception {
            for (int i = 0; i < WINDOW; i++) {
                sendNext();
            }
            done.get(timeout.toSeconds(), TimeUnit.SECONDS);
        }

        private void sendNext() {
            if (done.isDone() || sent.getAndIncrement() >= REQUESTS) {
                return;
            }
            AskPattern.<PlainSquare.Command, float[]>askWithStatus(plain,
                    replyTo -> new PlainSquare.Square(values, replyTo), timeout, system.scheduler())
                    .whenCompleteAsync(this::onAnswer, Runnable::run);
        }

        private void onAnswer(float[] squares, Throwable failure) {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else if (answered.incrementAndGet() == REQUESTS) {
                done.complete(null);
            } else {
                sendNext();
            }
        }
    }
}
