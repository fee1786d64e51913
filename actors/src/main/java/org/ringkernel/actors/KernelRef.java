package org.ringkernel.actors;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.Scheduler;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;

/**
 * A handle on one kernel: {@link #process} for a {@link CompletionStage}, {@link #ref()} to tell or ask it
 * like any actor. The ref stays valid across instance failures and restarts.
 */
public final class KernelRef {
    /**
     * How much longer than a request's deadline a caller waits for the answer (an ask, a flow's element): the actor
     * answers a timeout itself first, so only an actor that stopped leaves a caller waiting this long.
     */
    public static final Duration ASK_MARGIN = Duration.ofSeconds(2);

    private final KernelDefinition definition;
    private final ActorRef<KernelCommand> supervisor;
    private final ActorRef<KernelCommand> front;
    private final ActorSystem<?> system;
    private final SystemShutdown shutdown;
    private final Supplier<KernelInfo> info;
    private final Duration defaultTimeout;
    private final int capacity;

    /**
     * @param supervisor where messages for every instance go: the kernel supervisor, or the cluster's router
     * @param front where requests go: the only instance's actor, the supervisor, or the cluster's router
     * @param shutdown whether the system shuts down, so that requests are refused at once
     * @param info what is known about the kernel now
     */
    KernelRef(KernelDefinition definition, ActorRef<KernelCommand> supervisor, ActorRef<KernelCommand> front,
              ActorSystem<?> system, SystemShutdown shutdown, Supplier<KernelInfo> info, Duration defaultTimeout,
              int capacity) {
        this.definition = definition;
        this.supervisor = supervisor;
        this.front = front;
        this.system = system;
        this.shutdown = shutdown;
        this.info = info;
        this.defaultTimeout = defaultTimeout;
        this.capacity = capacity;
    }

    /** The kernel's id. */
    public String id() {
        return definition.id();
    }

    /** What the kernel takes and gives: its signature, description and implementations. */
    public KernelDefinition definition() {
        return definition;
    }

    /**
     * The kernel's actor, for tell and ask: it takes {@link KernelCommand}s. With one instance this is the
     * instance's own actor, else the kernel supervisor that spreads requests over the instances, and in a cluster
     * the node's router that sends them to the kernel's entities; each stays valid across failures and restarts.
     */
    public ActorRef<KernelCommand> ref() {
        return front;
    }

    /** Computes {@code request} within the configured {@code ringkernel.request-timeout}. */
    public CompletionStage<KernelResult> process(KernelRequest request) {
        return process(request, defaultTimeout);
    }

    /**
     * Computes {@code request}. The stage completes with the result, or fails with a
     * {@link KernelRequestException} that says what happened. Once the actor system shuts down (its coordinated
     * shutdown reaches {@code before-actor-system-terminate}, or it terminated) it fails at once with
     * {@link KernelUnavailableException}, as do the requests its kernels still hold when their actors stop.
     */
    public CompletionStage<KernelResult> process(KernelRequest request, Duration timeout) {
        return process(request, timeout, RequestTrace.NONE);
    }

    /**
     * As {@link #process(KernelRequest, Duration)}, the kernel's spans joining {@code trace}.
     *
     * <p>The stage is a plain {@link CompletableFuture} that the kernel's actor completes itself
     * ({@link KernelCommand.ProcessCompleting}), so the callbacks a caller adds without an executor run on that
     * actor's thread, and should be brief. Should the actor never take the request (it stopped), the stage fails
     * {@link #ASK_MARGIN} after the deadline, as an ask would.
     */
    public CompletionStage<KernelResult> process(KernelRequest request, Duration timeout, RequestTrace trace) {
        if (shutdown.refusesRequests()) {
            return CompletableFuture.failedFuture(SystemShutdown.refusal(id()));
        }
        Duration wait = timeout.plus(ASK_MARGIN);
        GuardedAnswer answer = new GuardedAnswer(wait);
        answer.guard = system.scheduler().scheduleOnce(wait, answer, system.executionContext());
        front.tell(new KernelCommand.ProcessCompleting(request, timeout, answer, trace));
        return answer;
    }

    /** Why a request got no answer in {@code wait}: the system shuts down, or else the actor may have stopped. */
    private KernelRequestException unanswered(Duration wait) {
        return SystemShutdown.started(system) ? SystemShutdown.refusal(id()) : new RequestTimeoutException(id(),
                "kernel '" + id() + "' did not answer within " + wait.toMillis() + " ms; its actor may have stopped");
    }

    /**
     * The future of one {@link #process} call, and the task of its guard: the timer that fails it should no answer
     * come in {@code wait}, cancelled as soon as it completes so that no timer outlives its request. The scheduler
     * also runs the task when the actor system terminates with it pending ({@link Scheduler.TaskRunOnClose}), so a
     * request lost with a stopping actor fails at once then.
     */
    private final class GuardedAnswer extends CompletableFuture<KernelResult> implements Scheduler.TaskRunOnClose {
        private final Duration wait;
        /**
         * Set before the request is sent, so seen by whoever answers it; null only while the guard itself may fire,
         * which needs no cancelling.
         */
        private Cancellable guard;

        GuardedAnswer(Duration wait) {
            this.wait = wait;
        }

        @Override
        public void run() {
            completeExceptionally(unanswered(wait));
        }

        @Override
        public boolean complete(KernelResult value) {
            return cancelGuardIf(super.complete(value));
        }

        @Override
        public boolean completeExceptionally(Throwable failure) {
            return cancelGuardIf(super.completeExceptionally(failure));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return cancelGuardIf(super.cancel(mayInterruptIfRunning));
        }

        private boolean cancelGuardIf(boolean completed) {
            Cancellable timer = guard;
            if (completed && timer != null) {
                timer.cancel();
            }
            return completed;
        }
    }

    /**
     * What a request is answered at once when the actor system shuts down (its coordinated shutdown reached
     * {@code before-actor-system-terminate}, or it terminated), as {@link #process} does; empty while it runs. For
     * those who send {@link #ref()} their own messages, such as {@link org.ringkernel.actors.stream.KernelFlows}.
     */
    public Optional<KernelUnavailableException> refusal() {
        return shutdown.refusesRequests() ? Optional.of(SystemShutdown.refusal(id())) : Optional.empty();
    }

    /** Changes how the kernel batches, on every instance, from the next batch on. */
    public CompletionStage<Done> setBatching(BatchingSettings batching) {
        return AskPattern.ask(supervisor(), replyTo -> new KernelCommand.SetBatching(batching, replyTo), ASK_MARGIN,
                system.scheduler());
    }

    /** The kernel supervisor, for messages that name or concern every instance. */
    ActorRef<KernelCommand> supervisor() {
        return supervisor;
    }

    /**
     * What is known about the kernel now: its instances report every few ticks and on every change; in a cluster,
     * one instance per entity, as gathered every {@code ringkernel.cluster.view-refresh}.
     */
    public KernelInfo info() {
        return info.get();
    }

    /** The deadline {@link #process(KernelRequest)} gives a request: {@code ringkernel.request-timeout}. */
    public Duration requestTimeout() {
        return defaultTimeout;
    }

    /** The most requests one instance keeps in its ring: the bound on work in flight per instance. */
    public int capacity() {
        return capacity;
    }

    @Override
    public String toString() {
        return "KernelRef(" + id() + ")";
    }
}
