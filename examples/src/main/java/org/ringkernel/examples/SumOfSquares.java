package org.ringkernel.examples;

import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.pattern.StatusReply;
import org.ringkernel.actors.KernelCommand;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * An application actor that uses a kernel as it would any other actor: it asks the {@code square} kernel
 * with {@code askWithStatus} and sums what comes back.
 */
public final class SumOfSquares extends AbstractBehavior<SumOfSquares.Command> {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** What the actor takes. */
    public sealed interface Command permits Compute, Squared {
    }

    /** Sum the squares of {@code values}; the reply is the sum, or the kernel's error. */
    public record Compute(float[] values, ActorRef<StatusReply<Double>> replyTo) implements Command {
    }

    private record Squared(KernelResult result, Throwable failure, ActorRef<StatusReply<Double>> replyTo)
            implements Command {
    }

    private final KernelRef square;

    public static Behavior<Command> create(KernelRef square) {
        return Behaviors.setup(context -> new SumOfSquares(context, square));
    }

    private SumOfSquares(ActorContext<Command> context, KernelRef square) {
        super(context);
        this.square = square;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Compute.class, this::onCompute)
                .onMessage(Squared.class, this::onSquared)
                .build();
    }

    private Behavior<Command> onCompute(Compute compute) {
        KernelRequest request = KernelRequest.of(Tensor.of(compute.values()));
        getContext().askWithStatus(KernelResult.class, square.ref(), TIMEOUT,
                replyTo -> new KernelCommand.Process(request, TIMEOUT, replyTo),
                (result, failure) -> new Squared(result, failure, compute.replyTo()));
        return this;
    }

    private Behavior<Command> onSquared(Squared squared) {
        if (squared.failure() != null) {
            squared.replyTo().tell(StatusReply.error(squared.failure()));
            return this;
        }
        double sum = 0;
        for (float value : squared.result().output().data()) {
            sum += value;
        }
        squared.replyTo().tell(StatusReply.success(sum));
        return this;
    }
}
