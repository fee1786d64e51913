package org.ringkernel.actors.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.pattern.StatusReply;
import org.ringkernel.actors.ErrorCode;
import org.ringkernel.actors.KernelCommand;
import org.ringkernel.actors.KernelRequestException;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.actors.RequestReply;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;

/**
 * One node's front of one sharded kernel: the actor behind {@code KernelRef.ref()} when clustering is on. It
 * takes {@link KernelCommand}s like a local kernel's actor, picks an entity for each request (the routing key's,
 * else the next in turn), and sends the requests for each entity in batches through the shard region: what
 * arrives while a batch is being sent goes with the next one, so a lone request leaves at once and a burst
 * leaves in a few messages. A {@link KernelCommand.ProcessBatch} is taken apart into its requests, each routed
 * like a single one and answered in a {@link org.ringkernel.actors.TaggedResults} of its own.
 *
 * <p>Every request gets exactly one answer. Sharding delivers at most once (a shard's region drops what it
 * buffered when the shard moves, a node may die with messages in flight), so entities acknowledge each request
 * they take, in their next message to the router, and the router watches each incarnation it hears from. A
 * request not acknowledged within {@code ringkernel.cluster.resend-after} is sent again (the entity does not
 * run a request twice). An incarnation that stops after draining has answered everything it took; one that
 * stops without (its node failed, or was removed) loses what it took: those requests are sent once more where
 * the kernel is pure and time is left, else answered with a kernel-failed error that says why. Requests still
 * unanswered a margin past their deadline (their entity's node is unreachable, say) are answered with a
 * timeout, and an answer arriving after that is dropped.
 *
 * <p>A node the failure detector marks unreachable is routed around at once, long before it is downed: requests
 * without a routing key go to entities last heard from on reachable nodes, and those an entity there had taken
 * are sent once more to another entity where the kernel is pure (whichever answer comes first wins). Requests
 * with a routing key stay with their entity, which moves once its node is downed.
 */
public final class KernelRouter extends AbstractBehavior<KernelRouter.Message> {
    private static final Duration SWEEP_INTERVAL = Duration.ofMillis(50);
    private static final Duration SWEEP_MARGIN = Duration.ofSeconds(1);
    private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_REQUESTS_PER_MESSAGE = 1024;
    private static final Object SWEEP_TIMER = "sweep";

    /** What the router takes. */
    public sealed interface Message permits FromCaller, Arrived, Flush, Sweep, EntityLost, MemberGone, Reachability {
    }

    private record FromCaller(KernelCommand command) implements Message {
    }

    private record Arrived(Results results) implements Message {
    }

    private enum Flush implements Message { INSTANCE }

    private enum Sweep implements Message { INSTANCE }

    private record EntityLost(ActorRef<KernelEntity.Command> entity) implements Message {
    }

    private record MemberGone(Address address) implements Message {
    }

    private record Reachability(Address address, boolean reachable) implements Message {
    }

    /** A request sent (or about to be) and not answered yet. */
    private static final class Pending {
        final long seq;
        final KernelCommand.Computing process;
        int entity;
        final long deadlineNanos;
        int attempts;
        boolean buffered;
        long sentNanos;
        ActorRef<KernelEntity.Command> takenBy;

        Pending(long seq, KernelCommand.Computing process, int entity, long deadlineNanos) {
            this.seq = seq;
            this.process = process;
            this.entity = entity;
            this.deadlineNanos = deadlineNanos;
        }
    }

    /** An incarnation of an entity the router has heard from. */
    private record Incarnation(String entityId, String node) {
    }

    private final KernelDefinition definition;
    private final int entities;
    private final int maxPending;
    private final ActorRef<ShardingEnvelope<KernelEntity.Command>> region;
    private final ClusterSettings settings;
    private final RoutingCounters counters;
    private final ActorRef<Results> results;
    private final Map<Long, Pending> pending = new LinkedHashMap<>();
    private final List<List<Pending>> buffers = new ArrayList<>();
    private final Map<ActorRef<KernelEntity.Command>, Incarnation> incarnations = new HashMap<>();
    /** The node each entity was last heard from on, by entity index; null before it was heard from. */
    private final String[] lastNode;
    private final Set<String> unreachable = new HashSet<>();
    private boolean flushQueued;
    private long nextSeq;
    private int nextEntity;

    /**
     * @param front completed with the ref callers use (it takes {@link KernelCommand}s) once the router runs
     * @param maxPending the most requests it holds before answering overloaded
     */
    public static Behavior<Message> create(KernelDefinition definition, int entities, int maxPending,
                                           ActorRef<ShardingEnvelope<KernelEntity.Command>> region,
                                           ClusterSettings settings, RoutingCounters counters,
                                           CompletableFuture<ActorRef<KernelCommand>> front) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
            front.complete(context.messageAdapter(KernelCommand.class, FromCaller::new));
            return new KernelRouter(context, timers, definition, entities, maxPending, region, settings, counters);
        }));
    }

    private KernelRouter(ActorContext<Message> context, TimerScheduler<Message> timers, KernelDefinition definition,
                         int entities, int maxPending, ActorRef<ShardingEnvelope<KernelEntity.Command>> region,
                         ClusterSettings settings, RoutingCounters counters) {
        super(context);
        this.definition = definition;
        this.entities = entities;
        this.maxPending = maxPending;
        this.region = region;
        this.settings = settings;
        this.counters = counters;
        this.results = context.messageAdapter(Results.class, Arrived::new);
        for (int i = 0; i < entities; i++) {
            buffers.add(new ArrayList<>());
        }
        this.lastNode = new String[entities];
        Cluster.get(context.getSystem()).subscriptions().tell(Subscribe.create(
                context.messageAdapter(ClusterEvent.MemberRemoved.class, removed -> new MemberGone(removed.member().address())),
                ClusterEvent.MemberRemoved.class));
        Cluster.get(context.getSystem()).subscriptions().tell(Subscribe.create(
                context.messageAdapter(ClusterEvent.ReachabilityEvent.class, event -> new Reachability(
                        event.member().address(), event instanceof ClusterEvent.ReachableMember)),
                ClusterEvent.ReachabilityEvent.class));
        timers.startTimerWithFixedDelay(SWEEP_TIMER, Sweep.INSTANCE, SWEEP_INTERVAL);
    }

    @Override
    public Receive<Message> createReceive() {
        return newReceiveBuilder()
                .onMessage(FromCaller.class, this::onCaller)
                .onMessage(Flush.class, flush -> onFlush())
                .onMessage(Arrived.class, this::onArrived)
                .onMessage(EntityLost.class, this::onEntityLost)
                .onMessage(MemberGone.class, this::onMemberGone)
                .onMessage(Reachability.class, this::onReachability)
                .onMessage(Sweep.class, sweep -> onSweep())
                .onSignal(PostStop.class, signal -> onPostStop())
                .build();
    }

    private String entityId(int index) {
        return EntityId.of(definition.id(), index).toString();
    }

    // ---- from callers

    private Behavior<Message> onCaller(FromCaller fromCaller) {
        KernelCommand command = fromCaller.command();
        if (command instanceof KernelCommand.Computing process) {
            submit(process);
        } else if (command instanceof KernelCommand.ProcessBatch batch) {
            batch.elements().forEach(this::submit);
        } else if (command instanceof KernelCommand.SetBatching set) {
            configure(set);
        } else if (command instanceof KernelCommand.InjectFault inject) {
            inject(inject);
        } else {
            getContext().getLog().warn("kernel '{}' router ignores {}", definition.id(), command);
        }
        return this;
    }

    private void submit(KernelCommand.Computing process) {
        KernelRequest request = process.request();
        long bytes = WireTensor.bytes(request.inputs());
        if (bytes > settings.maxMessageBytes() / 2) {
            reject(process, ErrorCode.INVALID_INPUT, "kernel '" + definition.id() + "': a request of " + bytes
                    + " bytes is larger than half of ringkernel.cluster.max-message-size (" + settings.maxMessageBytes()
                    + " bytes), the most one request may carry between nodes");
            return;
        }
        if (pending.size() >= maxPending) {
            reject(process, ErrorCode.OVERLOADED, "kernel '" + definition.id() + "' is overloaded: this node waits for "
                    + pending.size() + " answers from its entities already; retry later");
            return;
        }
        int entity = request.routingKey().map(key -> Math.floorMod(key.hashCode(), entities))
                .orElseGet(() -> nextReachable(-1));
        Pending sent = new Pending(nextSeq++, process, entity, System.nanoTime() + process.timeout().toNanos());
        pending.put(sent.seq, sent);
        enqueue(sent);
    }

    /**
     * The next entity in turn, other than {@code except}, skipping those last heard from on an unreachable node;
     * the next in turn when every one is.
     */
    private int nextReachable(int except) {
        for (int tried = 0; tried < entities; tried++) {
            int candidate = nextEntity;
            nextEntity = (nextEntity + 1) % entities;
            if (candidate != except && (lastNode[candidate] == null || !unreachable.contains(lastNode[candidate]))) {
                return candidate;
            }
        }
        int candidate = nextEntity;
        nextEntity = (nextEntity + 1) % entities;
        return candidate;
    }

    private void reject(KernelCommand.Computing process, ErrorCode code, String message) {
        RequestReply.of(process).send(definition.id(), process,
                StatusReply.error(KernelRequestException.of(code, definition.id(), message)));
    }

    private void enqueue(Pending request) {
        request.buffered = true;
        request.takenBy = null;
        buffers.get(request.entity).add(request);
        if (!flushQueued) {
            flushQueued = true;
            getContext().getSelf().tell(Flush.INSTANCE);
        }
    }

    private Behavior<Message> onFlush() {
        flushQueued = false;
        long now = System.nanoTime();
        for (int entity = 0; entity < entities; entity++) {
            List<Pending> buffer = buffers.get(entity);
            if (buffer.isEmpty()) {
                continue;
            }
            List<WireRequest> wire = new ArrayList<>(buffer.size());
            for (Pending request : buffer) {
                request.buffered = false;
                request.sentNanos = now;
                long left = request.deadlineNanos - now;
                if (left <= 0) {
                    pending.remove(request.seq);
                    answerTimeout(request, "before it could be sent");
                } else {
                    wire.add(WireRequest.of(request.seq, request.process.request(), Duration.ofNanos(left),
                            request.process.trace()));
                }
            }
            buffer.clear();
            for (List<WireRequest> part : MessageSizes.split(wire, r -> WireTensor.wireBytes(r.inputs()),
                    settings.maxMessageBytes() / 2)) {
                for (int from = 0; from < part.size(); from += MAX_REQUESTS_PER_MESSAGE) {
                    List<WireRequest> batch = part.subList(from, Math.min(part.size(), from + MAX_REQUESTS_PER_MESSAGE));
                    region.tell(new ShardingEnvelope<>(entityId(entity), new KernelEntity.Compute(batch, results)));
                    counters.sent(batch.size());
                }
            }
        }
        return this;
    }

    private void configure(KernelCommand.SetBatching set) {
        List<CompletableFuture<KernelEntity.Acknowledged>> acks = new ArrayList<>();
        for (int entity = 0; entity < entities; entity++) {
            String id = entityId(entity);
            acks.add(AskPattern.<ShardingEnvelope<KernelEntity.Command>, KernelEntity.Acknowledged>ask(region,
                    replyTo -> new ShardingEnvelope<>(id, new KernelEntity.Configure(set.settings(), replyTo)),
                    CONTROL_TIMEOUT, getContext().getSystem().scheduler()).toCompletableFuture());
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                .thenRun(() -> set.replyTo().tell(org.apache.pekko.Done.getInstance()));
    }

    private void inject(KernelCommand.InjectFault inject) {
        if (inject.instance() < 0 || inject.instance() >= entities) {
            inject.replyTo().tell(StatusReply.error("kernel '" + definition.id() + "' has entities 0 to "
                    + (entities - 1) + ", not " + inject.instance()));
            return;
        }
        String id = entityId(inject.instance());
        AskPattern.<ShardingEnvelope<KernelEntity.Command>, KernelEntity.Acknowledged>ask(region,
                        replyTo -> new ShardingEnvelope<>(id, new KernelEntity.Inject(inject.fault(), replyTo)),
                        CONTROL_TIMEOUT, getContext().getSystem().scheduler())
                .whenComplete((ack, failure) -> inject.replyTo().tell(failure != null
                        ? StatusReply.error("kernel entity " + id + " did not answer: " + failure.getMessage())
                        : ack.error().<StatusReply<org.apache.pekko.Done>>map(StatusReply::error).orElse(StatusReply.ack())));
    }

    // ---- from entities

    private Behavior<Message> onArrived(Arrived arrived) {
        Results answers = arrived.results();
        if (!incarnations.containsKey(answers.entity())) {
            incarnations.put(answers.entity(), new Incarnation(answers.entityId(), answers.node()));
            getContext().watchWith(answers.entity(), new EntityLost(answers.entity()));
            lastNode[EntityId.parse(answers.entityId()).index()] = answers.node();
        }
        for (long seq : answers.accepted()) {
            Pending request = pending.get(seq);
            if (request != null && !request.buffered) {
                request.takenBy = answers.entity();
            }
        }
        for (WireResult result : answers.results()) {
            Pending request = pending.remove(result.seq());
            if (request == null) {
                counters.late();
            } else {
                RequestReply.of(request.process).send(definition.id(), request.process,
                        reply(request, result, answers.node()));
            }
        }
        return this;
    }

    private StatusReply<KernelResult> reply(Pending request, WireResult result, String node) {
        if (result.error().isPresent()) {
            return StatusReply.error(KernelRequestException.of(result.error().get(), definition.id(), result.message()));
        }
        try {
            return StatusReply.success(new KernelResult(definition.id(), request.process.request(),
                    WireTensor.toTensors(result.outputs()), Optional.empty(), result.backend(), result.timing(), node));
        } catch (IllegalArgumentException e) {
            return StatusReply.error(KernelRequestException.of(ErrorCode.KERNEL_FAILED, definition.id(),
                    "kernel '" + definition.id() + "': the result from " + node + " cannot be read: " + e.getMessage()));
        }
    }

    private Behavior<Message> onEntityLost(EntityLost lost) {
        Incarnation incarnation = incarnations.remove(lost.entity());
        if (incarnation != null) {
            lose(lost.entity(), "kernel entity " + incarnation.entityId() + " on " + incarnation.node()
                    + " stopped before it answered (its node failed or left the cluster)");
        }
        return this;
    }

    /** A member was removed: its incarnations are lost (their watch is dropped, so this happens once). */
    private Behavior<Message> onMemberGone(MemberGone gone) {
        String node = gone.address().toString();
        // A node that comes back at the same host and port is a new member, reachable until it is said not to be.
        unreachable.remove(node);
        for (int entity = 0; entity < entities; entity++) {
            if (node.equals(lastNode[entity])) {
                lastNode[entity] = null;
            }
        }
        List<Map.Entry<ActorRef<KernelEntity.Command>, Incarnation>> there = incarnations.entrySet().stream()
                .filter(entry -> entry.getValue().node().equals(node)).toList();
        for (Map.Entry<ActorRef<KernelEntity.Command>, Incarnation> entry : there) {
            incarnations.remove(entry.getKey());
            getContext().unwatch(entry.getKey());
            lose(entry.getKey(), "kernel entity " + entry.getValue().entityId() + " was lost with its node " + node
                    + ", which left the cluster or was downed, before it answered");
        }
        return this;
    }

    /**
     * A node became unreachable (or reachable again). What its entities took of a pure kernel without a routing
     * key is sent once more, to an entity elsewhere; the rest waits for the node to come back or be downed.
     */
    private Behavior<Message> onReachability(Reachability event) {
        String node = event.address().toString();
        if (event.reachable()) {
            unreachable.remove(node);
            return this;
        }
        unreachable.add(node);
        if (!definition.pure()) {
            return this;
        }
        long now = System.nanoTime();
        List<Pending> stranded = pending.values().stream().filter(request -> request.takenBy != null
                && request.attempts == 0 && request.process.request().routingKey().isEmpty()
                && request.deadlineNanos - now > 0
                && node.equals(Optional.ofNullable(incarnations.get(request.takenBy)).map(Incarnation::node).orElse(null)))
                .toList();
        for (Pending request : stranded) {
            request.attempts++;
            request.entity = nextReachable(request.entity);
            counters.retried();
            enqueue(request);
        }
        return this;
    }

    /** What {@code incarnation} took and did not answer is sent once more if the kernel is pure, else failed. */
    private void lose(ActorRef<KernelEntity.Command> incarnation, String reason) {
        long now = System.nanoTime();
        List<Pending> held = pending.values().stream().filter(request -> incarnation.equals(request.takenBy)).toList();
        for (Pending request : held) {
            if (definition.pure() && request.attempts == 0 && request.deadlineNanos - now > 0) {
                request.attempts++;
                counters.retried();
                enqueue(request);
            } else {
                pending.remove(request.seq);
                counters.lost();
                reject(request.process, ErrorCode.KERNEL_FAILED, "kernel '" + definition.id() + "': " + reason
                        + (definition.pure() ? "; it had been sent once more already" : "; it was not sent again, as the"
                        + " kernel is not pure, and may have run"));
            }
        }
    }

    // ---- deadlines and stop

    /** Answers what is past its deadline and margin, and sends again what no entity acknowledged in time. */
    private Behavior<Message> onSweep() {
        long now = System.nanoTime();
        long late = now - SWEEP_MARGIN.toNanos();
        List<Pending> resend = new ArrayList<>();
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
            Pending request = it.next();
            if (late - request.deadlineNanos >= 0) {
                it.remove();
                buffers.get(request.entity).remove(request);
                answerTimeout(request, "from kernel entity " + entityId(request.entity)
                        + " (its node may be unreachable)");
            } else if (!request.buffered && request.takenBy == null
                    && now - request.sentNanos > settings.resendAfter().toNanos()) {
                resend.add(request);
            }
        }
        resend.forEach(request -> {
            counters.resent();
            if (request.process.request().routingKey().isEmpty() && lastNode[request.entity] != null
                    && unreachable.contains(lastNode[request.entity])) {
                request.entity = nextReachable(request.entity);
            }
            enqueue(request);
        });
        return this;
    }

    private void answerTimeout(Pending request, String where) {
        reject(request.process, ErrorCode.TIMEOUT, "kernel '" + definition.id() + "': no answer within "
                + request.process.timeout().toMillis() + " ms " + where);
    }

    private Behavior<Message> onPostStop() {
        for (Pending request : pending.values()) {
            reject(request.process, ErrorCode.UNAVAILABLE, "kernel '" + definition.id()
                    + "': this node stopped routing requests before the answer came");
        }
        pending.clear();
        return this;
    }
}
