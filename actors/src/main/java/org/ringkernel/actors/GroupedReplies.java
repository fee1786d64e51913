package org.ringkernel.actors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;

/**
 * The answers to grouped requests ({@link KernelCommand.ProcessGrouped}, the parts of a
 * {@link KernelCommand.ProcessBatch}) that a kernel's actor gives while it handles one message or signal, held until
 * it is done with it and then sent as one {@link TaggedResults} per caller: a batch of completions, a tick's
 * timeouts or a failure answers a stream's requests in one message each.
 *
 * <p>{@link #around} wraps the actor so that the held answers go out after every message and every signal, also
 * after a message whose handling throws (before supervision restarts the actor) and after {@code PreRestart} and
 * {@code PostStop}, where the actor answers everything it still holds. No handler has to remember to send them, and
 * none can stay behind. An instance belongs to one incarnation of the actor: a restart builds a new one.
 */
final class GroupedReplies {
    private final Map<ActorRef<TaggedResults>, List<TaggedResult>> held = new LinkedHashMap<>();

    /**
     * {@code behavior}, made with this incarnation's held answers, wrapped so that they go out after each message
     * and signal.
     */
    static <T> Behavior<T> around(Class<T> type, Function<GroupedReplies, Behavior<T>> behavior) {
        GroupedReplies replies = new GroupedReplies();
        Behavior<T> inner = behavior.apply(replies);
        return Behaviors.intercept(() -> new FlushAfterEach<>(type, replies), inner);
    }

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

    /** Flushes after every message and signal, whether its handling returned or threw. */
    private static final class FlushAfterEach<T> extends BehaviorInterceptor<T, T> {
        private final GroupedReplies replies;

        FlushAfterEach(Class<T> type, GroupedReplies replies) {
            super(type);
            this.replies = replies;
        }

        @Override
        public Behavior<T> aroundReceive(TypedActorContext<T> context, T message, ReceiveTarget<T> target) {
            try {
                return target.apply(context, message);
            } finally {
                replies.flush();
            }
        }

        @Override
        public Behavior<T> aroundSignal(TypedActorContext<T> context, Signal signal, SignalTarget<T> target) {
            try {
                return target.apply(context, signal);
            } finally {
                replies.flush();
            }
        }
    }
}
