package org.ringkernel.actors;

import org.apache.pekko.pattern.StatusReply;

/**
 * The answer to a {@link KernelCommand.ProcessTagged} (or, in a {@link TaggedResults} group, to a request of a
 * {@link KernelCommand.ProcessBatch}): the caller's tag and the result, which carries the error in
 * its place when the request failed ({@link KernelResult#error()}).
 *
 * @param tag the tag the request was sent with
 * @param result its result or error
 */
public record TaggedResult(long tag, KernelResult result) {

    /** {@code reply} to {@code command} as the answer for {@code tag}, an error carried in its result. */
    static TaggedResult of(String kernelId, KernelCommand.Computing command, long tag, StatusReply<KernelResult> reply) {
        return new TaggedResult(tag, reply.isSuccess() ? reply.getValue()
                : KernelResult.failed(kernelId, command.request(), (KernelRequestException) reply.getError()));
    }
}
