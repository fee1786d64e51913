package org.ringkernel.actors;

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
        KernelCommand.ProcessTagged tagged = (KernelCommand.ProcessTagged) command;
        return new Tagged(tagged.replyTo(), tagged.tag());
    }

    /** A {@link StatusReply} to an ask. */
    record Asked(ActorRef<StatusReply<KernelResult>> replyTo) implements RequestReply {
        @Override
        public void send(String kernelId, KernelCommand.Computing command, StatusReply<KernelResult> reply) {
            replyTo.tell(reply);
        }
    }

    /** A {@link TaggedResult}, an error carried in its result. */
    record Tagged(ActorRef<TaggedResult> replyTo, long tag) implements RequestReply {
        @Override
        public void send(String kernelId, KernelCommand.Computing command, StatusReply<KernelResult> reply) {
            replyTo.tell(new TaggedResult(tag, reply.isSuccess() ? reply.getValue()
                    : KernelResult.failed(kernelId, command.request(), (KernelRequestException) reply.getError())));
        }
    }
}
