package org.ringkernel.actors.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.ringkernel.actors.InvalidRequestException;
import org.ringkernel.actors.KernelCommand;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.actors.KernelTiming;
import org.ringkernel.actors.TaggedResult;
import org.ringkernel.actors.TaggedResults;

/** Actors that take {@link KernelCommand.ProcessBatch} in a kernel's place and answer as a test says. */
final class StandInKernel {
    static final String ID = "stand_in";

    private StandInKernel() {
    }

    /** Hands every batch to {@code onBatch}. */
    static Behavior<KernelCommand> answering(Consumer<KernelCommand.ProcessBatch> onBatch) {
        return stoppingAfter(Integer.MAX_VALUE, onBatch);
    }

    /** Hands the first {@code batches} batches to {@code onBatch}, then stops. */
    static Behavior<KernelCommand> stoppingAfter(int batches, Consumer<KernelCommand.ProcessBatch> onBatch) {
        return Behaviors.setup(context -> {
            int[] taken = {0};
            return Behaviors.receive(KernelCommand.class)
                    .onMessage(KernelCommand.ProcessBatch.class, batch -> {
                        onBatch.accept(batch);
                        return ++taken[0] >= batches ? Behaviors.stopped() : Behaviors.same();
                    })
                    .build();
        });
    }

    /** Answers every request of {@code batch} with its own input, in one group. */
    static void echoAll(KernelCommand.ProcessBatch batch) {
        List<TaggedResult> answers = new ArrayList<>();
        batch.elements().forEach(element -> answers.add(echoed(element)));
        batch.replyTo().tell(new TaggedResults(answers));
    }

    /** {@code element}'s input as its result. */
    static TaggedResult echoed(KernelCommand.ProcessGrouped element) {
        return new TaggedResult(element.tag(), new KernelResult(ID, element.request(), element.request().inputs(),
                Optional.empty(), "test", KernelTiming.NONE, ""));
    }

    /** {@code element} failed as invalid, saying which request it was. */
    static TaggedResult failed(KernelCommand.ProcessGrouped element) {
        return new TaggedResult(element.tag(), KernelResult.failed(ID, element.request(),
                new InvalidRequestException(ID, "request " + element.tag() + " failed")));
    }
}
