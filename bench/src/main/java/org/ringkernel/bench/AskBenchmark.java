package org.ringkernel.bench;

import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.KernelResult;

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
public class AskBenchmark {
    @Benchmark
    public KernelResult bridgeProcess(SquareAndPlain sides) throws Exception {
        return sides.square.process(sides.request, BenchSystems.TIMEOUT).toCompletableFuture()
                .get(BenchSystems.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Benchmark
    public float[] plainAsk(SquareAndPlain sides) throws Exception {
        return AskPattern.<PlainSquare.Command, float[]>askWithStatus(sides.plain,
                        replyTo -> new PlainSquare.Square(sides.values, replyTo), BenchSystems.TIMEOUT,
                        sides.system.scheduler())
                .toCompletableFuture().get(BenchSystems.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
}
