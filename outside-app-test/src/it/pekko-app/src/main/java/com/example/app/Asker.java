package com.example.app;

import java.util.Arrays;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * Squares {@code [1, 2, 3]} on the built-in {@code square} kernel, negates the squares on the application's own
 * kernel, and tells the guardian whether both answers were right.
 */
final class Asker extends AbstractBehavior<Asker.Command> {
    static final float[] INPUT = {1f, 2f, 3f};
    static final float[] SQUARES = {1f, 4f, 9f};
    static final float[] NEGATED = {-1f, -4f, -9f};

    sealed interface Command permits Squared, Negated {
    }

    private record Squared(KernelResult result, Throwable failure) implements Command {
    }

    private record Negated(KernelResult result, Throwable failure) implements Command {
    }

    private final ActorRef<Guardian.Command> guardian;
    private final KernelRef negate;

    static Behavior<Command> create(ActorRef<Guardian.Command> guardian) {
        return Behaviors.setup(context -> new Asker(context, guardian));
    }

    private Asker(ActorContext<Command> context, ActorRef<Guardian.Command> guardian) {
        super(context);
        this.guardian = guardian;
        RingKernels kernels = RingKernels.get(context.getSystem());
        negate = kernels.register(CustomKernels.negate());
        context.pipeToSelf(kernels.kernel("square").process(KernelRequest.of(Tensor.of(INPUT))), Squared::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Squared.class, this::onSquared)
                .onMessage(Negated.class, this::onNegated)
                .build();
    }

    private Behavior<Command> onSquared(Squared squared) {
        float[] got = answer("square", squared.result(), squared.failure(), SQUARES);
        if (got == null) {
            return Behaviors.stopped();
        }
        getContext().pipeToSelf(negate.process(KernelRequest.of(Tensor.of(got))), Negated::new);
        return this;
    }

    private Behavior<Command> onNegated(Negated negated) {
        float[] got = answer(CustomKernels.NEGATE, negated.result(), negated.failure(), NEGATED);
        if (got != null) {
            guardian.tell(new Guardian.Passed("square " + Arrays.toString(INPUT) + " = " + Arrays.toString(SQUARES)
                    + ", " + CustomKernels.NEGATE + " = " + Arrays.toString(got)));
        }
        return Behaviors.stopped();
    }

    /** The kernel's output when it is {@code expected}; otherwise tells the guardian what went wrong. */
    private float[] answer(String kernel, KernelResult result, Throwable failure, float[] expected) {
        if (failure != null) {
            guardian.tell(new Guardian.Failed(kernel + " failed: " + failure));
            return null;
        }
        float[] got = result.output().data();
        if (!Arrays.equals(got, expected)) {
            guardian.tell(new Guardian.Failed(kernel + " answered " + Arrays.toString(got) + ", expected "
                    + Arrays.toString(expected)));
            return null;
        }
        return got;
    }
}
