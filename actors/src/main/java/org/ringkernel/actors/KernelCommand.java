package org.ringkernel.actors;

import java.time.Duration;
import java.util.Objects;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.runtime.InjectedFault;

/** The messages a kernel's actor ({@link KernelRef#ref()}) takes from any Pekko application. */
public sealed interface KernelCommand permits KernelCommand.Computing, KernelCommand.SetBatching,
        KernelCommand.InjectFault, InternalKernelCommand {

    /** A request to compute, with its deadline; answered exactly once. */
    sealed interface Computing extends KernelCommand permits Process, ProcessTagged {
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
