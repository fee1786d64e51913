package org.ringkernel.actors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * The answers to grouped requests ({@link KernelCommand.ProcessGrouped}, the parts of a
 * {@link KernelCommand.ProcessBatch}) that a kernel's actor gives while it handles one message or signal, held until
 * it is done with it and then sent as one {@link TaggedResults} per caller: a batch of completions, a tick's
 * timeouts or a failure answers a stream's requests in one message each.
 *
 * <p>The actor's receive {@link #flush}es after every message and signal, also after one whose handling throws
 * (before supervision restarts the actor) and after {@code PreRestart} and {@code PostStop}, where the actor answers
 * everything it still holds. An instance belongs to one incarnation of the actor: a restart builds a new one.
 */
final class GroupedReplies {
    private final Map<ActorRef<TaggedResults>, List<TaggedResult>> held = new LinkedHashMap<>();

    /** Holds the answer {@code reply} to {@code command} until the current message or signal is handled. */
    void add(String kernelId, KernelCommand.ProcessGrouped command, StatusReply<KernelResult> reply) {
        held.computeIfAbsent(command.replyTo(), replyTo -> new ArrayList<>())
                .add(TaggedResult.of(kernelId, command, command.tag(), reply));
    }

    /** Sends what is held, one group per caller. */
    void flush() {
        if (held.isEmpty()) {
            return;
        }
        for (Map.Entry<ActorRef<TaggedResults>, List<TaggedResult>> group : held.entrySet()) {
            group.getKey().tell(new TaggedResults(group.getValue()));
        }
        held.clear();
    }
}
