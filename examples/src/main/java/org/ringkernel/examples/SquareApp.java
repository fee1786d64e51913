package org.ringkernel.examples;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.RingKernels;

/**
 * The application's guardian: it looks up the {@code square} kernel, spawns the actor that asks it
 * ({@link SumOfSquares}) and hands it the work it is given.
 */
public final class SquareApp {

    private SquareApp() {
    }

    /** What the guardian takes. */
    public sealed interface Command permits SumOfSquaresOf {
    }

    /**
     * Sum the squares of {@code values}.
     *
     * @param values the numbers to square
     * @param replyTo where the sum goes, or the kernel's error
     */
    public record SumOfSquaresOf(float[] values, ActorRef<StatusReply<Double>> replyTo) implements Command {
    }

    /** The guardian's behavior, for {@code ActorSystem.create(SquareApp.create(), name)}. */
    public static Behavior<Command> create() {
        return Behaviors.setup(context -> {
            KernelRef square = RingKernels.get(context.getSystem()).kernel("square");
            ActorRef<SumOfSquares.Command> summer = context.spawn(SumOfSquares.create(square), "sum-of-squares");
            return Behaviors.receive(Command.class)
                    .onMessage(SumOfSquaresOf.class, work -> {
                        summer.tell(new SumOfSquares.Compute(work.values(), work.replyTo()));
                        return Behaviors.same();
                    })
                    .build();
        });
    }
}
