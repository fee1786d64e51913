package org.ringkernel.actors;

import kamon.trace.Span;
import org.ringkernel.bridge.kernel.BoundRequest;

/**
 * One accepted request while its actor holds it: waiting for the ring, then in flight. It is answered
 * exactly once; {@link #answered} records that, so a completion arriving after a timeout is not answered
 * again. A traced request has its own span (else {@code Span.Empty}), from when the actor takes it until it is
 * answered, and, while in the ring, the {@link BatchTrace} of the batch that carried it.
 */
final class PendingRequest {
    final long id;
    final BoundRequest request;
    final KernelCommand.Computing command;
    final RequestReply reply;
    final long receivedNanos;
    final long deadlineNanos;
    final Span span;
    BatchTrace batch;
    long publishedNanos;
    int attempts;
    boolean answered;

    PendingRequest(long id, BoundRequest request, KernelCommand.Computing command, long receivedNanos,
                   long deadlineNanos, Span span) {
        this.id = id;
        this.request = request;
        this.command = command;
        this.reply = RequestReply.of(command);
        this.receivedNanos = receivedNanos;
        this.deadlineNanos = deadlineNanos;
        this.span = span;
    }

    /** The request has left the ring: its batch no longer waits for it. */
    void leftRing() {
        if (batch != null) {
            batch.left();
            batch = null;
        }
    }

    boolean expired(long nowNanos) {
        return nowNanos - deadlineNanos >= 0;
    }
}
