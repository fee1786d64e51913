package org.ringkernel.bench;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.pattern.StatusReply;

/** The baseline of the actor benchmarks: a plain typed actor that squares the floats it is sent and replies. */
final class PlainSquare extends AbstractBehavior<PlainSquare.Command> {

    sealed interface Command permits Square {
    }

    /** Square {@code values} and reply with the squares. */
    record Square(float[] values, ActorRef<StatusReply<float[]>> replyTo) implements Command {
    }

    static Behavior<Command> create() {
        return Behaviors.setup(PlainSquare::new);
    }

    /**
     * The same actor inside the layers a kernel's actor runs in: restarted by its supervisor on failure and holding
     * timers. Each is an interceptor that every message passes through; the timers go unused.
     */
    static Behavior<Command> supervised() {
        return Behaviors.supervise(Behaviors.<Command>withTimers(timers -> create()))
                .onFailure(RuntimeException.class, SupervisorStrategy.restart());
    }

    private PlainSquare(ActorContext<Command> context) {
        super(context);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder().onMessage(Square.class, this::onSquare).build();
    }

    private Behavior<Command> onSquare(Square square) {
        square.replyTo().tell(StatusReply.success(Payloads.square(square.values())));
        return this;
    }
}
