package org.ringkernel.actors;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.ringkernel.bridge.runtime.Completion;

/**
 * How the completion poller answers the requests of batches and streams itself: a {@link KernelCommand.ProcessGrouped}
 * request (a part of a {@link KernelCommand.ProcessBatch}) that completed without error and is not traced gets its
 * result from the poller's thread, in one {@link TaggedResults} per caller and poll, instead of through its kernel's
 * actor. The actor still learns of every completion, in one message per poll, for its bookkeeping (counters, drain
 * rate, metrics, latency, its in-flight list), and answers everything else: asks and tagged requests, errors, traced
 * requests, timeouts and failures.
 *
 * <p>Asks and tagged requests are left to the actor on purpose: each wants a message of its own, and many single
 * messages sent from the poller, a thread outside the actor system's pool, wake a pool thread each, where the actor
 * sends them from inside the pool; measured on two cores, that made asks several times slower, not faster.
 *
 * <p>"The poller" below is whichever thread reads the instance's completions: the {@link CompletionPoller}'s, or the
 * instance's own loop where it reads them itself (the CPU backend); one at a time, in ring order either way.
 *
 * <p>One per launched instance. The actor hands each request over as it stages it ({@link #handOver}), in ring order;
 * the poller takes them back in the same order as their completions arrive ({@link #answer}), checking that each
 * completion names the request it takes. Who answers is settled per request by {@link PendingRequest#claim}: the
 * poller answers only a request nobody answered yet, and the actor never answers one the poller did.
 *
 * <p>The handover is a single-producer single-consumer ring: the actor writes a slot and then moves {@code tail} (a
 * release store, no full fence), the poller reads {@code tail} (acquire) before it reads the slot, and moves
 * {@code head} the same way when done with it. The ring holds at least the instance's capacity, so the poller has always taken a slot back (its
 * completion was read) before the actor needs it again. Should that or the order of completions ever not hold, the
 * handover is switched off for the instance and the actor answers everything, as it finds any mismatch itself.
 */
final class DirectAnswers {
    private final String kernelId;
    private final String backendName;
    private final PendingRequest[] slots;
    private final int mask;
    private static final VarHandle TAIL;
    private static final VarHandle HEAD;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL = lookup.findVarHandle(DirectAnswers.class, "tail", long.class);
            HEAD = lookup.findVarHandle(DirectAnswers.class, "head", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Written by the actor only (release), read by the poller (acquire). */
    private long tail;
    /** Written by the poller only (release), read by the actor (acquire). */
    private long head;
    private volatile boolean off;
    /** The poller's answers of one poll, one group per caller; poller thread only. */
    private final Map<ActorRef<TaggedResults>, List<TaggedResult>> groups = new LinkedHashMap<>();

    /** For an instance of {@code kernelId} holding up to {@code capacity} requests, on {@code backendName}. */
    DirectAnswers(String kernelId, String backendName, int capacity) {
        this.kernelId = kernelId;
        this.backendName = backendName;
        int size = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        this.slots = new PendingRequest[size];
        this.mask = size - 1;
    }

    /**
     * Hands a request just staged over to the poller, before it is published. Actor only. When the ring is full the
     * handover is switched off: the actor answers every request of the instance from then on.
     */
    void handOver(PendingRequest pending) {
        if (off) {
            return;
        }
        long at = tail;
        if (at - (long) HEAD.getAcquire(this) >= slots.length) {
            off = true;
            return;
        }
        slots[(int) (at & mask)] = pending;
        TAIL.setRelease(this, at + 1);
    }

    /**
     * Answers, among {@code completions} (one poll's, in ring order), the grouped requests that completed without
     * error, are not traced and that nobody answered yet; each of those is marked {@link PendingRequest#DIRECTLY}.
     * Poller only; its message to the actor about them goes after this returns.
     */
    void answer(List<Completion> completions, long nowNanos) {
        try {
            for (Completion completion : completions) {
                if (off || !answer(completion, nowNanos)) {
                    return;
                }
            }
        } finally {
            flushGroups();
        }
    }

    /** Takes back the request {@code completion} belongs to and answers it if it may; false on a mismatch. */
    private boolean answer(Completion completion, long nowNanos) {
        long at = head;
        PendingRequest pending = at < (long) TAIL.getAcquire(this) ? slots[(int) (at & mask)] : null;
        if (pending == null || pending.id != completion.requestId()) {
            // The actor finds the same mismatch in its own list, and fails the instance for it.
            off = true;
            return false;
        }
        slots[(int) (at & mask)] = null;
        HEAD.setRelease(this, at + 1);
        if (completion.ok() && pending.span.isEmpty()
                && pending.command instanceof KernelCommand.ProcessGrouped grouped) {
            pending.answeredNanos = nowNanos;
            if (pending.claim(PendingRequest.DIRECTLY)) {
                groups.computeIfAbsent(grouped.replyTo(), replyTo -> new ArrayList<>())
                        .add(new TaggedResult(grouped.tag(), result(pending, completion, nowNanos)));
            }
        }
        return true;
    }

    private KernelResult result(PendingRequest pending, Completion completion, long nowNanos) {
        KernelTiming timing = new KernelTiming(pending.publishedNanos - pending.receivedNanos,
                nowNanos - pending.publishedNanos, completion.kernelNanos(), completion.batchSize(),
                completion.path().reportName());
        return new KernelResult(kernelId, pending.request.request(), completion.outputs(), Optional.empty(),
                backendName, timing, "");
    }

    private void flushGroups() {
        if (groups.isEmpty()) {
            return;
        }
        for (Map.Entry<ActorRef<TaggedResults>, List<TaggedResult>> group : groups.entrySet()) {
            group.getKey().tell(new TaggedResults(group.getValue()));
        }
        groups.clear();
    }
}
