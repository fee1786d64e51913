package org.ringkernel.actors;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/** Where the one answer to a request goes, whichever of the commands that compute asked for it. */
public sealed interface RequestReply {

    /** Sends {@code reply}, the answer to {@code kernelId}'s {@code request}. */
    void send(String kernelId, KernelCommand.Computing command, StatusReply<KernelResult> reply);

    /** Where the answer to {@code command} goes: its {@code replyTo}, with its tag when it has one. */
    static RequestReply of(KernelCommand.Computing command) {
        if (command instanceof KernelCommand.Process process) {
            return new Asked(process.replyTo());
        }
        if (command instanceof KernelCommand.ProcessCompleting completing) {
            return new Completing(completing.answer());
        }
        if (command instanceof KernelCommand.ProcessGrouped grouped) {
            return new Grouped(grouped.replyTo(), grouped.tag());
        }
        KernelCommand.ProcessTagged tagged = (KernelCommand.ProcessTagged) command;
        return new Tagged(tagged.replyTo(), tagged.tag());
    }

    /**
     * A {@link StatusReply} to an ask.
     *
     * @param replyTo the asker
     */
    record Asked(ActorRef<StatusReply<KernelResult>> replyTo) implements RequestReply {
        @Override
        public void send(String kernelId, KernelCommand.Computing command, StatusReply<KernelResult> reply) {
            replyTo.tell(reply);
        }
    }

    /**
     * A future completed with the result, or with the error's exception.
     *
     * @param answer the caller's future
     */
    record Completing(CompletableFuture<KernelResult> answer) implements RequestReply {
        @Override
        public void send(String kernelId, KernelCommand.Computing command, StatusReply<KernelResult> reply) {
            if (reply.isSuccess()) {
                answer.complete(reply.getValue());
            } else {
                answer.completeExceptionally(reply.getError());
            }
        }
    }

    /**
     * A {@link TaggedResult}, an error carried in its result.
     *
     * @param replyTo the caller
     * @param tag the request's tag
     */
    record Tagged(ActorRef<TaggedResult> replyTo, long tag) implements RequestReply {
        @Override
        public void send(String kernelId, KernelCommand.Computing command, StatusReply<KernelResult> reply) {
            replyTo.tell(TaggedResult.of(kernelId, command, tag, reply));
        }
    }

    /**
     * A {@link TaggedResult} in a {@link TaggedResults} group. {@link #send} sends a group of one; a kernel's actor
     * gathers the answers it gives while handling one message into one group per caller instead.
     *
     * @param replyTo the caller
     * @param tag the request's tag
     */
    record Grouped(ActorRef<TaggedResults> replyTo, long tag) implements RequestReply {
        @Override
        public void send(String kernelId, KernelCommand.Computing command, StatusReply<KernelResult> reply) {
            replyTo.tell(new TaggedResults(List.of(TaggedResult.of(kernelId, command, tag, reply))));
        }
    }
}
