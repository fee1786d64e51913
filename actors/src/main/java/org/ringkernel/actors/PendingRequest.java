package org.ringkernel.actors;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import kamon.trace.Span;
import org.ringkernel.bridge.kernel.BoundRequest;

/**
 * One accepted request while its actor holds it: waiting for the ring, then in flight. A traced request has its own
 * span (else {@code Span.Empty}), from when the actor takes it until it is answered, and, while in the ring, the
 * {@link BatchTrace} of the batch that carried it.
 *
 * <p>Two threads may answer it: its actor (timeouts, failures, errors, traced requests) and the completion poller
 * ({@link DirectAnswers}, a successful completion). Whoever moves its state from {@link #OPEN} first answers it;
 * the other leaves it alone, so it is answered exactly once. The state is the only field the poller writes besides
 * {@link #answeredNanos}, which it sets before it claims the request. Everything else belongs to the actor; the
 * poller reads the fields the actor set before publishing the request.
 */
final class PendingRequest {
    /** Nobody answered it yet. */
    static final int OPEN = 0;
    /** Its actor answered it. */
    static final int BY_ACTOR = 1;
    /** The poller answered it with its result. */
    static final int DIRECTLY = 2;
    /** Its actor took it back to run it again in a new instance, as a new {@code PendingRequest}. */
    static final int WITHDRAWN = 3;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(PendingRequest.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final long id;
    final BoundRequest request;
    final KernelCommand.Computing command;
    final RequestReply reply;
    final long receivedNanos;
    final long deadlineNanos;
    final Span span;
    final int attempts;
    BatchTrace batch;
    long publishedNanos;
    /** When the poller answered it; set only by the poller, read by the actor after the poller's message. */
    long answeredNanos;
    private volatile int state;

    PendingRequest(long id, BoundRequest request, KernelCommand.Computing command, long receivedNanos,
                   long deadlineNanos, Span span) {
        this(id, request, command, RequestReply.of(command), receivedNanos, deadlineNanos, span, 0);
    }

    private PendingRequest(long id, BoundRequest request, KernelCommand.Computing command, RequestReply reply,
                           long receivedNanos, long deadlineNanos, Span span, int attempts) {
        this.id = id;
        this.request = request;
        this.command = command;
        this.reply = reply;
        this.receivedNanos = receivedNanos;
        this.deadlineNanos = deadlineNanos;
        this.span = span;
        this.attempts = attempts;
    }

    /**
     * Takes the right to answer for {@code by} ({@link #BY_ACTOR}, {@link #DIRECTLY} or {@link #WITHDRAWN}); false
     * when someone else has it already.
     */
    boolean claim(int by) {
        return STATE.compareAndSet(this, OPEN, by);
    }

    /** Who answered it, or {@link #OPEN}. */
    int state() {
        return state;
    }

    /** Whether it has been answered (or withdrawn): nothing must answer it any more. */
    boolean answered() {
        return state != OPEN;
    }

    /** The same request to run once more, open again; this one must have been {@link #WITHDRAWN}. */
    PendingRequest retried() {
        return new PendingRequest(id, request, command, reply, receivedNanos, deadlineNanos, span, attempts + 1);
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
