package org.ringkernel.actors;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.ringkernel.bridge.kernel.BoundRequest;

/**
 * One accepted request while its actor holds it: waiting for the ring, then in flight. It is answered
 * exactly once; {@link #answered} records that, so a completion arriving after a timeout is not answered
 * again.
 */
final class PendingRequest {
    final long id;
    final BoundRequest request;
    final ActorRef<StatusReply<KernelResult>> replyTo;
    final long receivedNanos;
    final long deadlineNanos;
    long publishedNanos;
    int attempts;
    boolean answered;

    PendingRequest(long id, BoundRequest request, ActorRef<StatusReply<KernelResult>> replyTo, long receivedNanos,
                   long deadlineNanos) {
        this.id = id;
        this.request = request;
        this.replyTo = replyTo;
        this.receivedNanos = receivedNanos;
        this.deadlineNanos = deadlineNanos;
    }

    boolean expired(long nowNanos) {
        return nowNanos - deadlineNanos >= 0;
    }
}
