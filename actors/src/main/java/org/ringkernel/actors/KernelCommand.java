package org.ringkernel.actors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.runtime.InjectedFault;

/** The messages a kernel's actor ({@link KernelRef#ref()}) takes from any Pekko application. */
public sealed interface KernelCommand permits KernelCommand.Computing, KernelCommand.ProcessBatch,
        KernelCommand.SetBatching, KernelCommand.InjectFault, InternalKernelCommand {

    /** A request to compute, with its deadline; answered exactly once. */
    sealed interface Computing extends KernelCommand permits Process, ProcessCompleting, ProcessTagged,
            ProcessGrouped {
        /** The request to compute. */
        KernelRequest request();

        /** The request's deadline, from when the actor takes it. */
        Duration timeout();

        /** The trace the request belongs to; {@link RequestTrace#NONE} where it is not traced. */
        RequestTrace trace();
    }

    /**
     * Compute {@code request}. Exactly one reply follows: a {@link KernelResult}, or an error whose exception
     * is a {@link KernelRequestException} (invalid input, timeout, overloaded, kernel failed, unavailable).
     *
     * @param request the inputs and params
     * @param timeout the request's deadline, from when the actor takes it
     * @param replyTo where the reply goes; use {@code askWithStatus}
     * @param trace the trace the request belongs to, whose span the kernel's spans become children of
     */
    record Process(KernelRequest request, Duration timeout, ActorRef<StatusReply<KernelResult>> replyTo,
                   RequestTrace trace) implements Computing {
        /**
         * Checks the command.
         *
         * @throws IllegalArgumentException when the timeout is not positive
         */
        public Process {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(replyTo, "replyTo");
            Objects.requireNonNull(trace, "trace");
            requirePositive(timeout);
        }

        /** An untraced request. */
        public Process(KernelRequest request, Duration timeout, ActorRef<StatusReply<KernelResult>> replyTo) {
            this(request, timeout, replyTo, RequestTrace.NONE);
        }
    }

    /**
     * Compute {@code request} and complete {@code answer}, for a caller in the same JVM that wants a future rather
     * than a message: exactly once, with the {@link KernelResult} or with a {@link KernelRequestException} that
     * says what happened, on the thread of the actor that answers. This is what {@link KernelRef#process} sends; it
     * costs less than an ask, as no temporary actor stands between the answer and the future. The future is never
     * sent to another node (in a cluster, the node's router keeps it and completes it), and a message that no
     * actor takes (sent to one that stopped) completes nothing: a caller that sends its own guards against that
     * with a timeout of its own, as {@link KernelRef#process} does.
     *
     * @param request the inputs and params
     * @param timeout the request's deadline, from when the actor takes it
     * @param answer completed with the answer
     * @param trace the trace the request belongs to, whose span the kernel's spans become children of
     */
    record ProcessCompleting(KernelRequest request, Duration timeout, CompletableFuture<KernelResult> answer,
                             RequestTrace trace) implements Computing {
        /**
         * Checks the command.
         *
         * @throws IllegalArgumentException when the timeout is not positive
         */
        public ProcessCompleting {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(answer, "answer");
            Objects.requireNonNull(trace, "trace");
            requirePositive(timeout);
        }
    }

    /**
     * Compute {@code request}, for callers that relay many requests and would rather not ask for each: exactly one
     * {@link TaggedResult} with {@code tag} follows, whose result carries the error where the request failed.
     *
     * @param request the inputs and params
     * @param timeout the request's deadline, from when the actor takes it
     * @param tag the caller's number for the request, echoed in the answer
     * @param replyTo where the answer goes
     * @param trace the trace the request belongs to, whose span the kernel's spans become children of
     */
    record ProcessTagged(KernelRequest request, Duration timeout, long tag, ActorRef<TaggedResult> replyTo,
                         RequestTrace trace) implements Computing {
        /**
         * Checks the command.
         *
         * @throws IllegalArgumentException when the timeout is not positive
         */
        public ProcessTagged {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(replyTo, "replyTo");
            Objects.requireNonNull(trace, "trace");
            requirePositive(timeout);
        }

        /** An untraced request. */
        public ProcessTagged(KernelRequest request, Duration timeout, long tag, ActorRef<TaggedResult> replyTo) {
            this(request, timeout, tag, replyTo, RequestTrace.NONE);
        }
    }

    /**
     * Compute {@code request}, one of many a caller sends together: exactly one {@link TaggedResult} with {@code tag}
     * follows, inside a {@link TaggedResults} that may also carry the answers to other requests for the same
     * {@code replyTo} that the kernel answered at the same moment. {@link ProcessBatch} is the way to send many; this
     * is what a batch is made of where it is taken apart (by the kernel's actors, or the cluster's router).
     *
     * @param request the inputs and params
     * @param timeout the request's deadline, from when the actor takes it
     * @param tag the caller's number for the request, echoed in the answer
     * @param replyTo where the group holding the answer goes
     * @param trace the trace the request belongs to, whose span the kernel's spans become children of
     */
    record ProcessGrouped(KernelRequest request, Duration timeout, long tag, ActorRef<TaggedResults> replyTo,
                          RequestTrace trace) implements Computing {
        /** Checks that every part is present and the timeout is positive. */
        public ProcessGrouped {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(replyTo, "replyTo");
            Objects.requireNonNull(trace, "trace");
            requirePositive(timeout);
        }
    }

    /**
     * Compute every one of {@code requests} in one message, for callers that send many at once (a stream): request
     * {@code i} gets exactly one {@link TaggedResult} with tag {@code firstTag + i}, whose result carries the error
     * where the request failed. The answers come in {@link TaggedResults} groups: each group holds the answers the
     * kernel gave at one moment (a batch of completions, a tick's timeouts, a failure, or the batch's own
     * rejections when it arrived), in no order a caller should rely on; match them by tag.
     *
     * <p>Each request is taken as if sent alone, with the same deadline: invalid or overloaded ones are answered
     * at once and the others go on. A kernel with several instances spreads a batch over them as it spreads single
     * requests.
     *
     * @param requests the requests, at least one
     * @param timeout each request's deadline, from when the actor takes it
     * @param firstTag the tag of the first request; the others follow in order
     * @param replyTo where the groups of answers go
     * @param trace the trace every request belongs to
     */
    record ProcessBatch(List<KernelRequest> requests, Duration timeout, long firstTag, ActorRef<TaggedResults> replyTo,
                        RequestTrace trace) implements KernelCommand {
        /**
         * Copies the requests and checks every part.
         *
         * @throws IllegalArgumentException when there are no requests or the timeout is not positive
         */
        public ProcessBatch {
            requests = List.copyOf(Objects.requireNonNull(requests, "requests"));
            if (requests.isEmpty()) {
                throw new IllegalArgumentException("a batch needs at least one request");
            }
            Objects.requireNonNull(replyTo, "replyTo");
            Objects.requireNonNull(trace, "trace");
            requirePositive(timeout);
        }

        /** An untraced batch. */
        public ProcessBatch(List<KernelRequest> requests, Duration timeout, long firstTag,
                            ActorRef<TaggedResults> replyTo) {
            this(requests, timeout, firstTag, replyTo, RequestTrace.NONE);
        }

        /** The batch's requests one by one, each with its tag. */
        public List<ProcessGrouped> elements() {
            List<ProcessGrouped> elements = new ArrayList<>(requests.size());
            for (int i = 0; i < requests.size(); i++) {
                elements.add(new ProcessGrouped(requests.get(i), timeout, firstTag + i, replyTo, trace));
            }
            return elements;
        }

        /** The requests from {@code from} (inclusive) to {@code to} (exclusive) as a batch of their own. */
        public ProcessBatch slice(int from, int to) {
            return new ProcessBatch(requests.subList(from, to), timeout, firstTag + from, replyTo, trace);
        }
    }

    private static void requirePositive(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }

    /** Change how the kernel batches requests, from its next batch on. */
    record SetBatching(BatchingSettings settings, ActorRef<Done> replyTo) implements KernelCommand {
    }

    /**
     * Arm a fault for the next batch of one instance (only where {@code ringkernel.debug.fault-injection} is
     * on; elsewhere the reply is an error).
     */
    record InjectFault(int instance, InjectedFault fault, ActorRef<StatusReply<Done>> replyTo) implements KernelCommand {
    }
}
