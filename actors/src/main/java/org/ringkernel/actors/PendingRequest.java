package org.ringkernel.actors;

import org.ringkernel.bridge.kernel.BoundRequest;

/**
 * One accepted request while its actor holds it: waiting for the ring, then in flight. It is answered
 * exactly once; {@link #answered} records that, so a completion arriving after a timeout is not answered
 * again.
 */
final class PendingRequest {
    final long id;
    final BoundRequest request;
    final KernelCommand.Computing command;
    final RequestReply reply;
    final long receivedNanos;
    final long deadlineNanos;
    long publishedNanos;
    int attempts;
    boolean answered;

    PendingRequest(long id, BoundRequest request, KernelCommand.Computing command, long receivedNanos,
                   long deadlineNanos) {
        this.id = id;
        this.request = request;
        this.command = command;
        this.reply = RequestReply.of(command);
        this.receivedNanos = receivedNanos;
        this.deadlineNanos = deadlineNanos;
    }

    boolean expired(long nowNanos) {
        return nowNanos - deadlineNanos >= 0;
    }
}
