package org.ringkernel.actors;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import kamon.Kamon;
import kamon.trace.Span;
import kamon.trace.Span$Empty$;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.pattern.StatusReply;
import org.ringkernel.actors.metrics.InstanceGauges;
import org.ringkernel.actors.metrics.KernelMetrics;
import org.ringkernel.actors.metrics.Outcome;
import org.ringkernel.actors.metrics.RestartReason;
import org.ringkernel.bridge.kernel.BoundRequest;
import org.ringkernel.bridge.kernel.InvalidKernelInputException;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.runtime.Completion;
import org.ringkernel.bridge.runtime.DeviceFaultException;
import org.ringkernel.bridge.runtime.HostChannel;
import org.ringkernel.bridge.runtime.KernelErrorCode;
import org.ringkernel.bridge.runtime.KernelInstance;
import org.ringkernel.bridge.runtime.KernelState;
import org.ringkernel.bridge.runtime.RequestTooCostlyException;

/**
 * The typed front of one ring-kernel instance slot: takes {@link KernelCommand.Process} messages, batches
 * them into the instance's H2K ring, and answers each from the completions the {@link CompletionPoller}
 * hands back, except the successful requests of batches and streams, which the poller answers itself
 * ({@link DirectAnswers}) and the actor only counts. Who answers a request is settled by its
 * {@link PendingRequest#claim}, so a request the actor timed out or failed is never answered by the poller too,
 * nor the other way round.
 *
 * <p>Batching: in {@link BatchingMode#OPPORTUNISTIC} mode a request reaching an idle kernel is published at
 * once; while the kernel has requests in flight, new ones gather until the batch is full, the delay passes,
 * or the kernel's work drains, and then go with one publish. Requests beyond the ring's room wait in a
 * bounded queue; past it they are answered {@link OverloadedException} at once, and so is a request whose
 * expected wait (the requests ahead of it times the time one takes, as measured while the kernel is busy)
 * passes {@code ringkernel.max-queue-time} or its own deadline.
 *
 * <p>Failures: when the instance fails, hangs (its heartbeat stands still while work is pending), makes no
 * progress (it holds requests in its ring and neither completes one nor finishes a batch, heartbeat or not) or
 * the device restarts, the requests in flight are failed with {@link KernelFailedException} (or run again, for
 * pure kernels when configured), waiting requests keep waiting, and a new instance is launched after a
 * backoff. Past the restart budget the slot is unavailable. Every accepted request gets exactly one answer;
 * when the actor itself stops or restarts, it answers every request it still holds.
 *
 * <p>A {@link KernelCommand.ProcessBatch} is taken in one message, each of its requests as if sent alone. The
 * answers to such requests that one message or signal produces go to each caller as one {@link TaggedResults}
 * ({@link GroupedReplies}; the receive sends them after each).
 *
 * <p>Metrics: every answer is counted by outcome as it is sent (those of a batch of completions with one add),
 * queue time as a request is published, device and total time as it completes, the batch size per publish, and
 * the queue and in-flight gauges after each publish, batch of completions and tick.
 *
 * <p>Tracing: a request whose {@link RequestTrace} is sampled gets a span {@value #REQUEST_OPERATION}, a child of
 * the caller's span, from when the actor takes it (marked {@code published} when it enters the ring) until it is
 * answered; each batch that carries a traced request gets a {@link BatchTrace}. Untraced requests build no span.
 */
final class KernelActor extends AbstractBehavior<KernelCommand> {
    private static final Object FLUSH_TIMER = "flush";
    private static final Object RELAUNCH_TIMER = "relaunch";
    private static final int REPORT_EVERY_TICKS = 10;
    private static final long RATE_INTERVAL_NANOS = 1_000_000_000L;
    /**
     * How long an instance that holds no request keeps ticking: three rate intervals, so that its reports show the
     * answer rate fall to zero before the last one.
     */
    private static final long TICK_WHILE_IDLE_NANOS = 3 * RATE_INTERVAL_NANOS;
    static final String REQUEST_OPERATION = "kernel.request";
    /**
     * Arena bytes (inputs and outputs) from which opportunistic batching publishes a request at once, busy kernel
     * or not: 64 KiB, whose copies take several times what a publish costs.
     */
    static final long LARGE_REQUEST_BYTES = 64 * 1024;

    private final KernelDefinition definition;
    private final int index;
    private final RingKernelSettings settings;
    private final ActorRef<KernelCommand> supervisor;
    private final RestartHistory history;
    private final TimerScheduler<KernelCommand> timers;
    private final GroupedReplies grouped;
    private final ArrayDeque<PendingRequest> waiting = new ArrayDeque<>();
    private final ArrayDeque<PendingRequest> inFlight = new ArrayDeque<>();
    private final Counters counters = new Counters();
    private final DrainRate drain = new DrainRate();
    private final LatencyWindow latency = new LatencyWindow();
    private final KernelMetrics metrics;
    private final InstanceGauges gauges;
    private final EventStreamLog log;

    private DeviceHandle device;
    private BatchingSettings batching;
    private InstanceStatus.Phase phase = InstanceStatus.Phase.RESTARTING;
    private KernelInstance instance;
    private DirectAnswers answers;
    private long generation;
    private long nextId;
    private boolean flushArmed;
    /** Whether the batch {@link #stageUpTo} staged last holds a traced request; a batch without one has no trace. */
    private boolean stagedTraced;
    private long lastHeartbeat;
    private long lastBeatNanos;
    private long lastBatches;
    /** Completions still to come of the kernel's dequeue that the last one belonged to. */
    private int deviceBatchLeft;
    private long lastProgressNanos;
    private int ticks;
    private boolean ticking;
    private long lastHeldNanos;
    private Optional<String> lastFailure = Optional.empty();
    private Optional<Instant> lastFailedAt = Optional.empty();

    static Behavior<KernelCommand> create(KernelDefinition definition, int index, RingKernelSettings settings,
                                          DeviceHandle device, BatchingSettings batching,
                                          ActorRef<KernelCommand> supervisor, RestartHistory history,
                                          KernelMetrics metrics) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> new KernelActor(context, timers, definition,
                index, settings, device, batching, supervisor, history, metrics)));
    }

    private KernelActor(ActorContext<KernelCommand> context, TimerScheduler<KernelCommand> timers,
                        KernelDefinition definition, int index, RingKernelSettings settings, DeviceHandle device,
                        BatchingSettings batching, ActorRef<KernelCommand> supervisor, RestartHistory history,
                        KernelMetrics metrics) {
        super(context);
        this.timers = timers;
        this.grouped = new GroupedReplies();
        this.definition = definition;
        this.index = index;
        this.settings = settings;
        this.device = device;
        this.batching = batching;
        this.supervisor = supervisor;
        this.history = history;
        this.metrics = metrics;
        this.gauges = metrics.instanceGauges();
        this.log = EventStreamLog.of(context.getSystem(), KernelActor.class);
        startTicking();
        launch();
    }

    @Override
    public Receive<KernelCommand> createReceive() {
        return newReceiveBuilder()
                .onMessage(KernelCommand.Process.class, flushing(this::onProcess))
                .onMessage(KernelCommand.ProcessCompleting.class, flushing(this::onProcess))
                .onMessage(KernelCommand.ProcessTagged.class, flushing(this::onProcess))
                .onMessage(KernelCommand.ProcessGrouped.class, flushing(this::onProcess))
                .onMessage(KernelCommand.ProcessBatch.class, flushing(this::onBatch))
                .onMessage(InternalKernelCommand.CompletionsArrived.class, flushing(this::onCompletions))
                .onMessage(InternalKernelCommand.FlushDue.class, flushing(message -> onFlushDue()))
                .onMessage(InternalKernelCommand.Tick.class, flushing(message -> onTick()))
                .onMessage(InternalKernelCommand.InstanceStopped.class, flushing(this::onInstanceStopped))
                .onMessage(InternalKernelCommand.Relaunch.class, flushing(message -> onRelaunch()))
                .onMessage(InternalKernelCommand.DeviceRestarted.class, flushing(this::onDeviceRestarted))
                .onMessage(KernelCommand.SetBatching.class, flushing(this::onSetBatching))
                .onMessage(KernelCommand.InjectFault.class, flushing(this::onInjectFault))
                .onSignal(PreRestart.class, flushing(signal -> onRestart()))
                .onSignal(PostStop.class, flushing(signal -> onPostStop()))
                .build();
    }

    /**
     * {@code handler}, followed by sending the grouped answers it gave ({@link GroupedReplies}), whether it returned
     * or threw: also before supervision restarts the actor after a throw. Part of each handler rather than an
     * interceptor around the actor: one layer fewer for every message to pass through.
     */
    private <M> Function<M, Behavior<KernelCommand>> flushing(Function<M, Behavior<KernelCommand>> handler) {
        return message -> {
            try {
                return handler.apply(message);
            } finally {
                grouped.flush();
            }
        };
    }

    // ---- requests

    private Behavior<KernelCommand> onProcess(KernelCommand.Computing process) {
        startTicking();
        admit(process);
        if (phase == InstanceStatus.Phase.ACTIVE) {
            scheduleFlush();
        }
        return this;
    }

    /** Each request of the batch is taken as if sent alone; they wait for the ring together. */
    private Behavior<KernelCommand> onBatch(KernelCommand.ProcessBatch batch) {
        startTicking();
        batch.elements().forEach(this::admit);
        if (phase == InstanceStatus.Phase.ACTIVE) {
            scheduleFlush();
        }
        return this;
    }

    /** Binds and admits one request to the wait queue, or answers at once why it cannot be taken. */
    private void admit(KernelCommand.Computing process) {
        counters.received++;
        if (phase == InstanceStatus.Phase.UNAVAILABLE) {
            reject(process, new KernelUnavailableException(definition.id(), unavailableMessage()));
            return;
        }
        BoundRequest bound;
        try {
            // The input values are checked while the ring copies them in, in one pass (stageUpTo).
            bound = definition.bindForStaging(process.request());
        } catch (InvalidKernelInputException e) {
            reject(process, new InvalidRequestException(definition.id(), e.getMessage()));
            return;
        }
        String overload = overload(waiting.size() + inRing(), process.timeout());
        if (overload != null) {
            counters.overloaded++;
            reject(process, new OverloadedException(definition.id(), "kernel '" + definition.id() + "' is overloaded: "
                    + overload + "; retry later"));
            return;
        }
        long now = System.nanoTime();
        Span span = process.trace().sampled() ? requestSpan(process.trace()) : Span$Empty$.MODULE$;
        waiting.addLast(new PendingRequest(nextId++, bound, process, now, now + process.timeout().toNanos(), span));
    }

    /**
     * Requests in the instance's ring: published and not yet read back by the poller. The in-flight list can be
     * longer for a moment, as it keeps a request until the poller's message about it arrives, while the poller may
     * have answered it already and its caller sent the next one; a stream that keeps within the ring by the answers
     * it has must not find the ring full, nor see more in flight in the instance's reports and gauges than its
     * parallelism. Batching still goes by the list: its message arrives right behind the
     * answers, and the order of the mailbox keeps the batches the same from run to run.
     */
    private int inRing() {
        return instance == null ? inFlight.size() : (int) Math.min(inFlight.size(), instance.channel().inFlight());
    }

    private Span requestSpan(RequestTrace trace) {
        return Kamon.internalSpanBuilder(REQUEST_OPERATION, "ringkernel").asChildOf(trace.parent())
                .doNotTrackMetrics().tag("kernel", definition.id()).tag("instance", (long) index).start();
    }

    /**
     * Why a request with {@code ahead} requests before it cannot be taken, or null when it can: the ring and
     * wait queue are full, the request would wait for a ring slot longer than the queue-time budget, or the
     * wait the drain rate predicts passes the request's own deadline (a request that would time out in the
     * queue is better told at once).
     *
     * <p>The budget applies only to a request that finds the ring full. One that goes into the ring at once is
     * bounded by the ring's capacity already, and the drain rate, measured on arrivals of completions, reads
     * far too low for a while after any stall of the host (a pause, a busy core): a stream kept within the ring
     * by its demand would otherwise be refused in bursts right after a stall instead of slowed.
     */
    private String overload(int ahead, Duration timeout) {
        int capacity = settings.bridge().instance().capacity();
        if (ahead >= capacity + settings.maxWaitQueue()) {
            return inRing() + " requests in its ring and " + waiting.size() + " waiting";
        }
        long expected = drain.expectedWaitNanos(ahead);
        if (ahead >= capacity && expected > settings.maxQueueTime().toNanos()) {
            return expectedWait(expected, ahead) + ", over the queue-time budget ringkernel.max-queue-time of "
                    + settings.maxQueueTime().toMillis() + " ms";
        }
        if (expected >= timeout.toNanos()) {
            return expectedWait(expected, ahead) + ", longer than its deadline of " + timeout.toMillis() + " ms";
        }
        return null;
    }

    private String expectedWait(long expectedNanos, int ahead) {
        return "a new request would wait about " + Duration.ofNanos(expectedNanos).toMillis() + " ms (" + ahead
                + " requests ahead, draining " + Math.round(drain.perSecond()) + " per second)";
    }

    private void reject(KernelCommand.Computing process, KernelRequestException error) {
        counters.failed++;
        metrics.answered(Outcome.of(error.code()), 1);
        if (process.trace().sampled()) {
            requestSpan(process.trace()).tag("outcome", error.code().name().toLowerCase(Locale.ROOT))
                    .fail(error.getMessage()).finish();
        }
        deliver(RequestReply.of(process), process, StatusReply.error(error));
    }

    /** Sends an answer, or holds it for its group where the request was sent in one. */
    private void deliver(RequestReply to, KernelCommand.Computing command, StatusReply<KernelResult> reply) {
        if (command instanceof KernelCommand.ProcessGrouped inGroup) {
            grouped.add(definition.id(), inGroup, reply);
        } else {
            to.send(definition.id(), command, reply);
        }
    }

    /** Publishes now or arms the delay, as the batching mode says. */
    private void scheduleFlush() {
        if (waiting.isEmpty()) {
            return;
        }
        boolean full = waiting.size() >= batching.maxBatchSize();
        boolean now = switch (batching.mode()) {
            case OFF -> true;
            case OPPORTUNISTIC -> full || inFlight.isEmpty() || batching.maxDelay().isZero()
                    || isLarge(waiting.peekFirst());
            case FIXED_DELAY -> full || batching.maxDelay().isZero();
        };
        if (now) {
            flush();
        } else if (!flushArmed) {
            flushArmed = true;
            timers.startSingleTimer(FLUSH_TIMER, InternalKernelCommand.FlushDue.INSTANCE, batching.maxDelay());
        }
    }

    /**
     * Whether {@code pending} takes {@link #LARGE_REQUEST_BYTES} of arena or more: its copies in and out alone
     * take longer than sharing a publish with others would save, so holding it back for a batch (and for the
     * scheduler's timer, whose tick is coarser than max-delay) only idles the kernel.
     */
    private static boolean isLarge(PendingRequest pending) {
        return HostChannel.arenaBytes(pending.request) >= LARGE_REQUEST_BYTES;
    }

    private Behavior<KernelCommand> onFlushDue() {
        flushArmed = false;
        if (phase == InstanceStatus.Phase.ACTIVE) {
            flush();
        }
        return this;
    }

    /** Stages what waits, up to the batch size and the ring's room, and publishes it. */
    private void flush() {
        if (flushArmed) {
            timers.cancel(FLUSH_TIMER);
            flushArmed = false;
        }
        HostChannel channel = instance.channel();
        int limit = batching.mode() == BatchingMode.OFF ? 1 : batching.maxBatchSize();
        boolean more = true;
        while (more && !waiting.isEmpty()) {
            stagedTraced = false;
            int staged = stageUpTo(channel, limit);
            if (staged > 0) {
                drain.busyFrom(System.nanoTime());
                channel.publish();
                device.poller().wake();
                counters.published(staged);
                metrics.published(staged);
                if (stagedTraced) {
                    BatchTrace.start(definition.id(), index, inFlight::descendingIterator, staged);
                }
            }
            more = staged == limit;
        }
        gauges.update(waiting.size(), inRing());
    }

    private int stageUpTo(HostChannel channel, int limit) {
        int staged = 0;
        long now = System.nanoTime();
        while (staged < limit && !waiting.isEmpty()) {
            PendingRequest pending = waiting.peekFirst();
            try {
                if (!channel.stage(pending.id, pending.request)) {
                    break;
                }
            } catch (InvalidKernelInputException badValue) {
                waiting.pollFirst();
                answer(pending, StatusReply.error(new InvalidRequestException(definition.id(), badValue.getMessage())));
                continue;
            } catch (IllegalArgumentException tooLarge) {
                waiting.pollFirst();
                answer(pending, StatusReply.error(new InvalidRequestException(definition.id(), tooLarge.getMessage()
                        + "; raise ringkernel.kernel.arena-size to take requests this large")));
                continue;
            } catch (RequestTooCostlyException tooCostly) {
                waiting.pollFirst();
                answer(pending, StatusReply.error(new InvalidRequestException(definition.id(),
                        tooCostly.getMessage())));
                continue;
            }
            waiting.pollFirst();
            pending.publishedNanos = now;
            metrics.queued(now - pending.receivedNanos);
            if (!pending.span.isEmpty()) {
                pending.span.mark("published");
                stagedTraced = true;
            }
            inFlight.addLast(pending);
            answers.handOver(pending);
            staged++;
        }
        return staged;
    }

    // ---- completions

    /**
     * The poller's news of one poll: the completions it read, in ring order. It has answered those it could
     * ({@link DirectAnswers}); here each leaves the in-flight list, is counted, and is answered if it is not yet.
     */
    private Behavior<KernelCommand> onCompletions(InternalKernelCommand.CompletionsArrived arrived) {
        if (arrived.generation() != generation) {
            return this;
        }
        long now = System.nanoTime();
        long succeededBefore = counters.succeeded;
        boolean anyOk = false;
        for (Completion completion : arrived.completions()) {
            // Peeked, not polled, until it matches: on a mismatch the restart answers every request still in flight.
            PendingRequest pending = inFlight.peekFirst();
            if (pending == null || pending.id != completion.requestId()) {
                throw new KernelFailure("kernel '" + definition.id() + "' instance " + index + ": completion of request "
                        + completion.requestId() + " matches no request in flight");
            }
            inFlight.pollFirst();
            // A dequeue's completions come in ring order, each naming its dequeue's size: count each dequeue once.
            if (deviceBatchLeft <= 0) {
                deviceBatchLeft = Math.max(1, completion.batchSize());
                metrics.dequeued(deviceBatchLeft);
            }
            deviceBatchLeft--;
            pending.leftRing();
            anyOk |= completion.ok();
            if (pending.state() == PendingRequest.DIRECTLY) {
                answeredDirectly(pending);
            } else {
                answer(pending, reply(pending, completion, now));
            }
        }
        if (anyOk) {
            history.recordSuccess();
        }
        countedOk(succeededBefore);
        drain.completed(arrived.completions().size(), now, inFlight.isEmpty());
        // A completion shows the kernel both alive and getting on.
        lastBeatNanos = now;
        lastProgressNanos = now;
        scheduleFlush();
        return this;
    }

    /** Records the successes counted since the count was {@code succeededBefore}, with one add. */
    private void countedOk(long succeededBefore) {
        if (counters.succeeded != succeededBefore) {
            metrics.answered(Outcome.OK, (int) (counters.succeeded - succeededBefore));
        }
    }

    /** Counts a request the poller answered with its result, as it leaves the actor's books. */
    private void answeredDirectly(PendingRequest pending) {
        counters.succeeded++;
        latency.record(pending.answeredNanos - pending.receivedNanos);
        metrics.completed(pending.answeredNanos - pending.publishedNanos, pending.answeredNanos - pending.receivedNanos);
    }

    private StatusReply<KernelResult> reply(PendingRequest pending, Completion completion, long now) {
        if (!completion.ok()) {
            String message = completion.detail().isEmpty() ? "kernel '" + definition.id()
                    + "' could not compute the request: " + completion.status().description() : completion.detail();
            return StatusReply.error(new KernelFailedException(definition.id(), message));
        }
        if (!pending.answered()) {
            latency.record(now - pending.receivedNanos);
            metrics.completed(now - pending.publishedNanos, now - pending.receivedNanos);
        }
        KernelTiming timing = new KernelTiming(pending.publishedNanos - pending.receivedNanos,
                now - pending.publishedNanos, completion.kernelNanos(), completion.batchSize(),
                completion.path().reportName());
        return StatusReply.success(new KernelResult(definition.id(), pending.request.request(), completion.outputs(),
                Optional.empty(), device.backendName(), timing, ""));
    }

    /** Answers {@code pending} unless someone did already; true when this was its answer. */
    private boolean answer(PendingRequest pending, StatusReply<KernelResult> reply) {
        if (!pending.claim(PendingRequest.BY_ACTOR)) {
            return false;
        }
        if (reply.isSuccess()) {
            counters.succeeded++;
        } else {
            counters.failed++;
            metrics.answered(Outcome.of(((KernelRequestException) reply.getError()).code()), 1);
        }
        if (!pending.span.isEmpty()) {
            if (reply.isSuccess()) {
                pending.span.tag("outcome", "ok");
            } else {
                pending.span.tag("outcome", ((KernelRequestException) reply.getError()).code().name()
                        .toLowerCase(Locale.ROOT)).fail(reply.getError().getMessage());
            }
            pending.span.finish();
        }
        deliver(pending.reply, pending.command, reply);
        return true;
    }

    // ---- deadlines and watchdog

    /**
     * Ticks while the instance holds requests, whose deadlines and progress the tick checks, and a few seconds
     * after; an idle instance does not tick, so ten idle kernels cost no timer work. The watchdog starts afresh,
     * as it does whenever the instance holds nothing.
     */
    private void startTicking() {
        if (!ticking) {
            ticking = true;
            lastBeatNanos = System.nanoTime();
            lastProgressNanos = lastBeatNanos;
            lastHeldNanos = lastBeatNanos;
            timers.startTimerWithFixedDelay(InternalKernelCommand.Tick.INSTANCE, settings.supervision().tickInterval());
        }
    }

    private Behavior<KernelCommand> onTick() {
        long now = System.nanoTime();
        expireWaiting(now);
        for (PendingRequest pending : inFlight) {
            if (!pending.answered() && pending.expired(now) && answer(pending, StatusReply.error(
                    new RequestTimeoutException(definition.id(), timeoutMessage(pending, now, "in the kernel"))))) {
                counters.timedOut++;
            }
        }
        watch(now);
        gauges.update(waiting.size(), inRing());
        if (!waiting.isEmpty() || !inFlight.isEmpty()) {
            lastHeldNanos = now;
        } else if (now - lastHeldNanos >= TICK_WHILE_IDLE_NANOS) {
            // The last report before the ticks stop shows the instance at rest; a change of phase reports by itself.
            timers.cancel(InternalKernelCommand.Tick.INSTANCE);
            ticking = false;
            report();
            return this;
        }
        if (++ticks % REPORT_EVERY_TICKS == 0) {
            report();
        }
        return this;
    }

    private void expireWaiting(long now) {
        for (Iterator<PendingRequest> it = waiting.iterator(); it.hasNext(); ) {
            PendingRequest pending = it.next();
            if (pending.expired(now)) {
                it.remove();
                if (answer(pending, StatusReply.error(new RequestTimeoutException(definition.id(),
                        timeoutMessage(pending, now, "waiting for a ring slot"))))) {
                    counters.timedOut++;
                }
            }
        }
    }

    private String timeoutMessage(PendingRequest pending, long now, String where) {
        return "kernel '" + definition.id() + "': no result within "
                + Duration.ofNanos(pending.deadlineNanos - pending.receivedNanos).toMillis() + " ms (the request spent "
                + Duration.ofNanos(now - (pending.publishedNanos == 0 ? pending.receivedNanos : pending.publishedNanos))
                .toMillis() + " ms " + where + ")";
    }

    /**
     * While requests are in flight the kernel must show it lives and that it gets on: a heartbeat that stands
     * still means it hangs; a heartbeat that goes on beating while the kernel holds requests in its ring and neither a
     * completion arrives nor a batch finishes means a part of it is stuck (a worker block that never runs or
     * never ends, while block 0 waits for it and beats). Requests the kernel passed to the launch path have
     * left its ring, so a long launch holds nothing back and is bounded by its request's deadline instead.
     */
    private void watch(long now) {
        if (phase != InstanceStatus.Phase.ACTIVE || inFlight.isEmpty()) {
            lastBeatNanos = now;
            lastProgressNanos = now;
            return;
        }
        long heartbeat = instance.heartbeat();
        if (heartbeat != lastHeartbeat) {
            lastHeartbeat = heartbeat;
            lastBeatNanos = now;
        }
        long batches = instance.batchesProcessed();
        if (batches != lastBatches || instance.channel().heldByKernel() == 0) {
            lastBatches = batches;
            lastProgressNanos = now;
        }
        long timeout = settings.supervision().watchdogTimeout().toNanos();
        // Beating means a beat within the last half timeout; a silent kernel is left to the heartbeat rule,
        // which gives it the whole timeout and says that it hangs.
        boolean beating = now - lastBeatNanos <= timeout / 2;
        if (now - lastBeatNanos > timeout) {
            instanceFailed("it hung: its heartbeat stood still for "
                    + Duration.ofNanos(now - lastBeatNanos).toMillis() + " ms with " + inFlight.size()
                    + " requests in flight", RestartReason.HUNG);
        } else if (beating && now - lastProgressNanos > timeout) {
            instanceFailed("it made no progress: " + inFlight.size() + " requests in flight, heartbeat alive, no"
                    + " request completed and no batch finished for " + Duration.ofNanos(now - lastProgressNanos).toMillis()
                    + " ms", RestartReason.NO_PROGRESS);
        }
    }

    // ---- instance life

    private void launch() {
        try {
            instance = device.backend().launch(definition, settings.bridge().instance());
        } catch (DeviceFaultException e) {
            instanceFailed("its launch failed: " + e.getMessage(), RestartReason.LAUNCH_FAILED, true);
            return;
        } catch (RuntimeException e) {
            instanceFailed("its launch failed: " + e.getMessage(), RestartReason.LAUNCH_FAILED);
            return;
        }
        generation = history.nextGeneration();
        answers = new DirectAnswers(definition.id(), device.backendName(), settings.bridge().instance().capacity());
        instance.activate();
        device.poller().register(instance, generation, getContext().getSelf(), answers);
        phase = InstanceStatus.Phase.ACTIVE;
        lastHeartbeat = instance.heartbeat();
        lastBatches = instance.batchesProcessed();
        deviceBatchLeft = 0;
        lastBeatNanos = System.nanoTime();
        lastProgressNanos = lastBeatNanos;
        report();
        scheduleFlush();
    }

    private Behavior<KernelCommand> onInstanceStopped(InternalKernelCommand.InstanceStopped stopped) {
        if (stopped.generation() == generation && phase == InstanceStatus.Phase.ACTIVE) {
            instanceFailed(stopped.status().failure().orElse("it stopped in state " + stopped.status().state()),
                    RestartReason.FAILED, stopped.status().error() == KernelErrorCode.DEVICE_FAULT);
        }
        return this;
    }

    private void instanceFailed(String reason, RestartReason why) {
        instanceFailed(reason, why, false);
    }

    /**
     * Fails or retries what was in flight, lets the instance go, and relaunches after a backoff. A failure of
     * the whole device ({@code deviceFault}) does not count against this instance's restart budget: its
     * device supervisor restarts the device and relaunches every instance; until then relaunches keep
     * failing the same way without spending the budget.
     */
    private void instanceFailed(String reason, RestartReason why, boolean deviceFault) {
        String message = "kernel '" + definition.id() + "' instance " + index + " failed and is being restarted: "
                + reason;
        log.warning(message);
        lastFailure = Optional.of(reason);
        lastFailedAt = Optional.of(Instant.now());
        failOrRetryInFlight(message);
        releaseInstance();
        if (deviceFault || history.recordFailure(System.nanoTime())) {
            phase = InstanceStatus.Phase.RESTARTING;
            metrics.restarted(why);
            timers.startSingleTimer(RELAUNCH_TIMER, InternalKernelCommand.Relaunch.INSTANCE, history.backoff());
        } else {
            becomeUnavailable();
        }
        report();
    }

    /**
     * Answers or runs again what the failed instance held. A request the poller may still answer is run again only
     * once it is withdrawn from it, as a new {@link PendingRequest}: the poller cannot answer that one.
     */
    private void failOrRetryInFlight(String message) {
        boolean retry = settings.supervision().retryInFlight() && definition.pure();
        long succeededBefore = counters.succeeded;
        for (Iterator<PendingRequest> it = inFlight.descendingIterator(); it.hasNext(); ) {
            PendingRequest pending = it.next();
            if (pending.batch != null) {
                pending.batch.fail(message);
            }
            pending.leftRing();
            if (retry && pending.attempts == 0 && pending.claim(PendingRequest.WITHDRAWN)) {
                pending.span.mark("retried");
                waiting.addFirst(pending.retried());
            } else {
                settleFailed(pending, new KernelFailedException(definition.id(), message));
            }
        }
        inFlight.clear();
        countedOk(succeededBefore);
    }

    /** Answers {@code pending} with {@code error} unless it is answered, counting it if the poller answered it. */
    private void settleFailed(PendingRequest pending, KernelRequestException error) {
        if (!answer(pending, StatusReply.error(error)) && pending.state() == PendingRequest.DIRECTLY) {
            answeredDirectly(pending);
        }
    }

    private void releaseInstance() {
        drain.stopped();
        if (instance == null) {
            return;
        }
        device.poller().detach(instance);
        if (instance.state() == KernelState.FAILED || instance.state() == KernelState.TERMINATED) {
            // A kernel can report FAILED while part of it still runs (block 0 gave up on a stuck worker block):
            // what does not stop is abandoned, which on CUDA restarts the device.
            if (!instance.terminate(settings.bridge().terminateTimeout()).stopped()) {
                instance.abandon();
            }
        } else {
            instance.abandon();
        }
        instance = null;
        generation = history.nextGeneration();
        if (flushArmed) {
            timers.cancel(FLUSH_TIMER);
            flushArmed = false;
        }
    }

    private void becomeUnavailable() {
        phase = InstanceStatus.Phase.UNAVAILABLE;
        String message = unavailableMessage();
        log.error(message);
        for (PendingRequest pending : waiting) {
            answer(pending, StatusReply.error(new KernelUnavailableException(definition.id(), message)));
        }
        waiting.clear();
        settings.supervision().unavailableRetryAfter().ifPresent(after ->
                timers.startSingleTimer(RELAUNCH_TIMER, InternalKernelCommand.Relaunch.INSTANCE, after));
    }

    private String unavailableMessage() {
        String retry = settings.supervision().unavailableRetryAfter()
                .map(after -> "; it is tried again " + after.toMillis() + " ms after it became unavailable")
                .orElse("");
        return "kernel '" + definition.id() + "' instance " + index + " is unavailable: it failed more than "
                + settings.supervision().maxRestarts() + " times within " + settings.supervision().restartWindow().toSeconds()
                + " s" + lastFailure.map(f -> " (last: " + f + ")").orElse("") + retry;
    }

    private Behavior<KernelCommand> onRelaunch() {
        if (phase == InstanceStatus.Phase.UNAVAILABLE) {
            history.clearBudget();
        }
        if (phase != InstanceStatus.Phase.ACTIVE) {
            launch();
        }
        return this;
    }

    private Behavior<KernelCommand> onDeviceRestarted(InternalKernelCommand.DeviceRestarted restarted) {
        if (phase == InstanceStatus.Phase.ACTIVE) {
            String message = "kernel '" + definition.id() + "' instance " + index
                    + " failed and is being restarted: its device restarted (" + restarted.reason() + ")";
            failOrRetryInFlight(message);
            releaseInstance();
            metrics.restarted(RestartReason.DEVICE_RESTART);
        }
        device = restarted.device();
        timers.cancel(RELAUNCH_TIMER);
        if (phase != InstanceStatus.Phase.UNAVAILABLE) {
            launch();
        }
        return this;
    }

    private Behavior<KernelCommand> onRestart() {
        metrics.restarted(RestartReason.ACTOR_RESTART);
        return onStop("the kernel's actor is restarting", false);
    }

    /** Stopped with its system, the kernel is unavailable rather than failed: the request itself was fine. */
    private Behavior<KernelCommand> onPostStop() {
        if (SystemShutdown.started(getContext().getSystem())) {
            return onStop(SystemShutdown.MESSAGE, true);
        }
        return onStop("the kernel's actor stopped", false);
    }

    private Behavior<KernelCommand> onStop(String reason, boolean unavailable) {
        String message = "kernel '" + definition.id() + "' instance " + index + " cannot answer: " + reason;
        long succeededBefore = counters.succeeded;
        for (PendingRequest pending : inFlight) {
            pending.leftRing();
            settleFailed(pending, unavailable ? new KernelUnavailableException(definition.id(), message)
                    : new KernelFailedException(definition.id(), message));
        }
        countedOk(succeededBefore);
        for (PendingRequest pending : waiting) {
            answer(pending, StatusReply.error(new KernelUnavailableException(definition.id(), message)));
        }
        inFlight.clear();
        waiting.clear();
        releaseInstance();
        phase = InstanceStatus.Phase.STOPPED;
        report();
        return this;
    }

    // ---- operations

    private Behavior<KernelCommand> onSetBatching(KernelCommand.SetBatching set) {
        batching = set.settings();
        report();
        set.replyTo().tell(Done.getInstance());
        scheduleFlush();
        return this;
    }

    private Behavior<KernelCommand> onInjectFault(KernelCommand.InjectFault inject) {
        if (inject.instance() != index) {
            inject.replyTo().tell(StatusReply.error("kernel '" + definition.id() + "' instance " + index
                    + " got a fault meant for instance " + inject.instance()));
        } else if (instance == null) {
            inject.replyTo().tell(StatusReply.error("kernel '" + definition.id() + "' instance " + index
                    + " has no running instance to inject into (" + phase + ")"));
        } else {
            instance.inject(inject.fault());
            inject.replyTo().tell(StatusReply.ack());
        }
        return this;
    }

    private void report() {
        gauges.update(waiting.size(), inRing());
        KernelState kernelState = instance == null ? KernelState.CREATED : instance.state();
        String mode = instance == null ? "" : instance.status().mode();
        supervisor.tell(new InternalKernelCommand.InstanceReport(new InstanceStatus(index, phase, kernelState, mode, batching,
                history.total(), lastFailure, lastFailedAt, counters.snapshot(inRing(), waiting.size()),
                latency.summary(), "")));
    }

    /** The actor's counters; plain fields, as only the actor touches them. */
    private static final class Counters {
        long received;
        long succeeded;
        long failed;
        long timedOut;
        long overloaded;
        long batches;
        long published;
        int largestBatch;
        int lastBatch;
        long rateFromNanos = System.nanoTime();
        long rateFromAnswered;
        double answeredPerSecond;

        void published(int batch) {
            batches++;
            published += batch;
            largestBatch = Math.max(largestBatch, batch);
            lastBatch = batch;
        }

        InstanceStatus.InstanceCounters snapshot(int inFlight, int waiting) {
            long now = System.nanoTime();
            // The rate moves on once a second at most, so that a report soon after another still covers a second.
            if (now - rateFromNanos >= RATE_INTERVAL_NANOS) {
                answeredPerSecond = (succeeded + failed - rateFromAnswered) * 1e9 / (now - rateFromNanos);
                rateFromNanos = now;
                rateFromAnswered = succeeded + failed;
            }
            return new InstanceStatus.InstanceCounters(received, succeeded, failed, timedOut, overloaded, batches,
                    published, largestBatch, lastBatch, inFlight, waiting, answeredPerSecond);
        }
    }
}
