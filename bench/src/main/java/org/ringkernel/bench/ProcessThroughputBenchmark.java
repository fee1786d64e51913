package org.ringkernel.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;
import org.ringkernel.actors.KernelRef;

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
public class ProcessThroughputBenchmark {
    static final int REQUESTS = 20_000;
    static final int WINDOW = 256;

    @Benchmark
    @OperationsPerInvocation(REQUESTS)
    public void kernelProcess(SquareAndPlain sides) throws Exception {
        ProcessWindow.run(sides.square, sides.request, REQUESTS, WINDOW);
    }

    @Benchmark
    @OperationsPerInvocation(REQUESTS)
    public void plainAsk(SquareAndPlain sides) throws Exception {
        new AskWindow(sides).run();
    }

    /** The {@link ProcessWindow} of the plain actor: each answer sends the next ask until every one is answered. */
    private static final class AskWindow {
        private final SquareAndPlain sides;
        private final AtomicInteger sent = new AtomicInteger();
        private final AtomicInteger answered = new AtomicInteger();
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private final Duration timeout = BenchSystems.TIMEOUT;

        AskWindow(SquareAndPlain sides) {
            this.sides = sides;
        }

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
            AskPattern.<PlainSquare.Command, float[]>askWithStatus(sides.plain,
                    replyTo -> new PlainSquare.Square(sides.values, replyTo), timeout, sides.system.scheduler())
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
