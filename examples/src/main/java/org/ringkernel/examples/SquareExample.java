package org.ringkernel.examples;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.actors.stream.KernelFlows;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * The README's example: a Pekko application that squares numbers on the {@code square} kernel three ways,
 * through a {@code CompletionStage}, through an actor its guardian ({@link SquareApp}) spawned that asks the
 * kernel's ref, and through a stream. Run it with {@code mvn -B -q -pl examples -am compile exec:java}; it
 * prints the three answers.
 */
public final class SquareExample {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private SquareExample() {
    }

    /**
     * The three answers.
     *
     * @param squares the squares of 1, 2, 3 from a {@code CompletionStage}
     * @param sumOfSquares their sum, from the actor the guardian spawned
     * @param streamed the squares of 1..5 from a stream
     */
    public record Answers(float[] squares, double sumOfSquares, List<Float> streamed) {
    }

    /** Starts the application, prints its three answers and stops it. */
    public static void main(String[] args) throws Exception {
        ActorSystem<SquareApp.Command> system = ActorSystem.create(SquareApp.create(), "square-example");
        try {
            Answers answers = run(system);
            System.out.println("squares: " + Arrays.toString(answers.squares()));
            System.out.println("sum of squares: " + answers.sumOfSquares());
            System.out.println("streamed: " + answers.streamed());
        } finally {
            system.terminate();
        }
    }

    /** Asks for the three answers of an application whose guardian is {@link SquareApp}. */
    public static Answers run(ActorSystem<SquareApp.Command> system) throws Exception {
        RingKernels rk = RingKernels.get(system);
        KernelRef square = rk.kernel("square");

        CompletionStage<KernelResult> r = square.process(KernelRequest.of(Tensor.of(1f, 2f, 3f)));
        float[] squares = r.toCompletableFuture().get(10, TimeUnit.SECONDS).output().data();

        double sum = AskPattern.<SquareApp.Command, Double>askWithStatus(system,
                replyTo -> new SquareApp.SumOfSquaresOf(new float[] {1f, 2f, 3f}, replyTo), TIMEOUT, system.scheduler())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);

        Flow<KernelRequest, KernelResult, NotUsed> f = KernelFlows.ordered(square, 64);
        List<Float> streamed = Source.range(1, 5)
                .map(i -> KernelRequest.of(Tensor.of(i.floatValue())))
                .via(f)
                .map(result -> result.output().get(0))
                .runWith(Sink.seq(), system)
                .toCompletableFuture().get(10, TimeUnit.SECONDS);

        return new Answers(squares, sum, streamed);
    }
}
