package org.ringkernel.actors.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.ringkernel.actors.BatchingSettings;
import org.ringkernel.actors.ErrorCode;
import org.ringkernel.actors.KernelCommand;
import org.ringkernel.actors.KernelHost;
import org.ringkernel.actors.KernelRequestException;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.actors.TaggedResult;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.runtime.InjectedFault;

/**
 * One kernel instance as a Cluster Sharding entity, e.g. {@code square#1}, hosted on a node with role
 * {@code gpu}. It starts its instance through the node's {@link KernelHost} (so batching, supervision, the
 * watchdog and device restarts are the local kernel actor's), hands it the requests that arrive in batches
 * from other nodes, and sends the answers back in batches, one message per sending node at a time.
 *
 * <p>Every request it takes is acknowledged at once (in the next message to its sender) and answered once:
 * with a result or an error from its instance, with an error when the request cannot be decoded or the
 * instance cannot run here, and, should the entity stop without draining, with an {@code unavailable} error
 * from its last act. A request that arrives again (its sender sent it once more, not having heard it was
 * taken) is not run twice. It is never passivated for idleness; when its shard moves (a rebalance, or its node
 * leaving) it takes {@link Drain}: it keeps answering until nothing it took is left, then stops its instance
 * and stops.
 */
public final class KernelEntity extends AbstractBehavior<KernelEntity.Command> {
    /** The entity type of every kernel entity; entity ids are {@link EntityId}s. */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "ringkernel-kernel");
    private static final int STASH_CAPACITY = 10_000;
    private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(10);

    /** What an entity takes. */
    public sealed interface Command permits Compute, Drain, Wake, Configure, Inject, Started, HostFailed, Answered,
            SendAnswers, InstanceStopped, Replied {
    }

    /** Compute {@code requests}; their answers go to {@code replyTo} as {@link Results}. */
    public record Compute(List<WireRequest> requests, ActorRef<Results> replyTo) implements Command, ClusterMessage {
        /** Copies the requests. */
        public Compute {
            requests = List.copyOf(requests);
        }
    }

    /** Answer everything taken, then stop: the stop message of a shard hand-off. */
    public enum Drain implements Command, ClusterMessage {
        /** The one message. */
        INSTANCE
    }

    /** Start the instance now rather than with the first request. */
    public enum Wake implements Command, ClusterMessage {
        /** The one message. */
        INSTANCE
    }

    /** Change how the instance batches. */
    public record Configure(BatchingSettings batching, ActorRef<Acknowledged> replyTo) implements Command, ClusterMessage {
    }

    /** Arm a fault for the instance's next batch (where fault injection is on). */
    public record Inject(InjectedFault fault, ActorRef<Acknowledged> replyTo) implements Command, ClusterMessage {
    }

    /**
     * The answer to {@link Configure} and {@link Inject}.
     *
     * @param entityId the entity that answered
     * @param error why it could not, absent when it did
     */
    public record Acknowledged(String entityId, Optional<String> error) implements ClusterMessage {
    }

    private record Started(ActorRef<KernelCommand> instance) implements Command {
    }

    private record HostFailed(String message, ErrorCode code) implements Command {
    }

    private record Answered(TaggedResult answer) implements Command {
    }

    private enum SendAnswers implements Command { INSTANCE }

    private enum InstanceStopped implements Command { INSTANCE }

    private record Replied(ActorRef<Acknowledged> to, Optional<String> error) implements Command {
    }

    /** A request handed to the instance: its sender and the sender's number for it. */
    private record Outstanding(ActorRef<Results> client, long seq) {
    }

    /**
     * How many answered requests an entity remembers, so that one sent again is not run again: a router sends a
     * request again only when its acknowledgement is over {@code resend-after} late, so the last few thousand cover it.
     */
    private static final int REMEMBERED_ANSWERS = 1 << 13;

    private final ActorRef<TaggedResult> answersAdapter;
    private final EntityId id;
    private final String node;
    private final KernelHost host;
    private final ActorRef<ClusterSharding.ShardCommand> shard;
    private final int maxMessageBytes;
    private final Map<Long, Outstanding> outstanding = new LinkedHashMap<>();
    private final Set<Outstanding> taken = new HashSet<>();
    private final Set<Outstanding> answered = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Outstanding, Boolean> eldest) {
            return size() > REMEMBERED_ANSWERS;
        }
    });
    private final Map<ActorRef<Results>, List<Long>> accepted = new HashMap<>();
    private final Map<ActorRef<Results>, List<WireResult>> answers = new HashMap<>();
    private ActorRef<KernelCommand> instance;
    private HostFailed hostFailure;
    private boolean sendQueued;
    private boolean draining;
    private long nextId;

    /**
     * @param entityId this entity's id
     * @param shard the shard that runs it, told to passivate it should its instance stop
     * @param node this node's address, reported with every answer
     */
    public static Behavior<Command> create(String entityId, ActorRef<ClusterSharding.ShardCommand> shard, KernelHost host,
                                           ClusterSettings settings, String node) {
        return Behaviors.setup(context -> Behaviors.withStash(STASH_CAPACITY, stash -> {
            EntityId id;
            try {
                id = EntityId.parse(entityId);
            } catch (IllegalArgumentException e) {
                return new KernelEntity(context, EntityId.of(entityId, 0), node, host, shard, settings)
                        .failed(new HostFailed(e.getMessage(), ErrorCode.UNKNOWN_KERNEL), stash);
            }
            context.pipeToSelf(host.start(id.kernelId(), id.toString()), (ref, failure) -> ref != null
                    ? new Started(ref) : hostFailure(id, failure));
            return new KernelEntity(context, id, node, host, shard, settings).starting(stash);
        }));
    }

    private static HostFailed hostFailure(EntityId id, Throwable failure) {
        Throwable cause = failure.getCause() != null && !(failure instanceof KernelRequestException) ? failure.getCause()
                : failure;
        if (cause instanceof KernelRequestException e) {
            return new HostFailed(e.getMessage(), e.code());
        }
        return new HostFailed("kernel entity " + id + " could not start its instance: " + cause.getMessage(),
                ErrorCode.UNAVAILABLE);
    }

    private KernelEntity(ActorContext<Command> context, EntityId id, String node, KernelHost host,
                         ActorRef<ClusterSharding.ShardCommand> shard, ClusterSettings settings) {
        super(context);
        this.id = id;
        this.node = node;
        this.host = host;
        this.shard = shard;
        this.maxMessageBytes = settings.maxMessageBytes();
        this.answersAdapter = context.messageAdapter(TaggedResult.class, Answered::new);
    }

    /** Until its instance runs, everything waits in the stash (answered overloaded when that is full). */
    private Behavior<Command> starting(StashBuffer<Command> stash) {
        return Behaviors.receive(Command.class)
                .onMessage(Started.class, started -> {
                    instance = started.instance();
                    getContext().watchWith(instance, InstanceStopped.INSTANCE);
                    return stash.unstashAll(this);
                })
                .onMessage(HostFailed.class, failed -> failed(failed, stash))
                .onMessage(Compute.class, compute -> {
                    if (stash.isFull()) {
                        refuse(compute, ErrorCode.OVERLOADED, "kernel entity " + id + " is starting and holds "
                                + STASH_CAPACITY + " batches already; retry later");
                    } else {
                        stash.stash(compute);
                    }
                    return Behaviors.same();
                })
                .onAnyMessage(other -> {
                    if (!stash.isFull()) {
                        stash.stash(other);
                    }
                    return Behaviors.same();
                })
                .onSignal(PostStop.class, signal -> {
                    host.stop(id.toString());
                    return Behaviors.same();
                })
                .build();
    }

    /** The instance cannot run here: everything is answered with why. */
    private Behavior<Command> failed(HostFailed failure, StashBuffer<Command> stash) {
        getContext().getLog().warn("kernel entity {} cannot run on this node: {}", id, failure.message());
        hostFailure = failure;
        return stash.unstashAll(this);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Compute.class, this::onCompute)
                .onMessage(Answered.class, this::onAnswered)
                .onMessage(SendAnswers.class, send -> onSendAnswers())
                .onMessage(Drain.class, drain -> onDrain())
                .onMessage(Wake.class, wake -> this)
                .onMessage(Configure.class, this::onConfigure)
                .onMessage(Inject.class, this::onInject)
                .onMessage(Replied.class, this::onReplied)
                .onMessage(InstanceStopped.class, stopped -> onInstanceStopped())
                .onSignal(PostStop.class, signal -> onPostStop())
                .build();
    }

    private Behavior<Command> onCompute(Compute compute) {
        List<Long> acknowledged = accepted.computeIfAbsent(compute.replyTo(), c -> new ArrayList<>());
        for (WireRequest wire : compute.requests()) {
            acknowledged.add(wire.seq());
            Outstanding key = new Outstanding(compute.replyTo(), wire.seq());
            if (taken.contains(key) || answered.contains(key)) {
                continue;
            }
            if (hostFailure != null) {
                queue(compute.replyTo(), WireResult.failed(wire.seq(), hostFailure.code(), hostFailure.message()));
                continue;
            }
            KernelRequest request;
            try {
                request = wire.toRequest();
            } catch (IllegalArgumentException e) {
                queue(compute.replyTo(), WireResult.failed(wire.seq(), ErrorCode.INVALID_INPUT,
                        "kernel '" + id.kernelId() + "': " + e.getMessage()));
                continue;
            }
            if (wire.timeoutNanos() <= 0) {
                queue(compute.replyTo(), WireResult.failed(wire.seq(), ErrorCode.TIMEOUT, "kernel '" + id.kernelId()
                        + "': the request's deadline had passed when it reached kernel entity " + id + " on " + node));
                continue;
            }
            long local = nextId++;
            outstanding.put(local, key);
            taken.add(key);
            Duration timeout = Duration.ofNanos(wire.timeoutNanos());
            instance.tell(new KernelCommand.ProcessTagged(request, timeout, local, answersAdapter, wire.trace()));
        }
        queueSend();
        return this;
    }

    private void refuse(Compute compute, ErrorCode code, String message) {
        compute.requests().forEach(wire -> queue(compute.replyTo(), WireResult.failed(wire.seq(), code, message)));
    }

    private Behavior<Command> onAnswered(Answered answered) {
        Outstanding request = outstanding.remove(answered.answer().tag());
        if (request == null) {
            return this;
        }
        taken.remove(request);
        this.answered.add(request);
        KernelResult answer = answered.answer().result();
        WireResult result;
        if (answer.error().isPresent()) {
            result = WireResult.failed(request.seq(), answer.error().get());
        } else {
            result = WireResult.of(request.seq(), answer);
            if (result.bytes() > maxMessageBytes / 2) {
                result = WireResult.failed(request.seq(), ErrorCode.INVALID_INPUT, "kernel '" + id.kernelId()
                        + "': its result of " + result.bytes() + " bytes is larger than half of"
                        + " ringkernel.cluster.max-message-size (" + maxMessageBytes + " bytes) lets cross nodes");
            }
        }
        queue(request.client(), result);
        return this;
    }

    /** Answers gather while the mailbox holds more, and leave in one message per sender. */
    private void queue(ActorRef<Results> client, WireResult result) {
        answers.computeIfAbsent(client, c -> new ArrayList<>()).add(result);
        queueSend();
    }

    private void queueSend() {
        if (!sendQueued) {
            sendQueued = true;
            getContext().getSelf().tell(SendAnswers.INSTANCE);
        }
    }

    private Behavior<Command> onSendAnswers() {
        sendQueued = false;
        sendAnswers();
        return draining && outstanding.isEmpty() ? finish() : this;
    }

    /** One message per sender, more only where the answers exceed the size a message may have. */
    private void sendAnswers() {
        accepted.forEach((client, seqs) -> answers.computeIfAbsent(client, c -> new ArrayList<>()));
        answers.forEach((client, results) -> {
            List<Long> acknowledged = accepted.getOrDefault(client, List.of());
            for (List<WireResult> part : MessageSizes.split(results, WireResult::bytes, maxMessageBytes / 2)) {
                client.tell(new Results(id.toString(), getContext().getSelf(), node, acknowledged, part));
                acknowledged = List.of();
            }
            if (!acknowledged.isEmpty()) {
                client.tell(new Results(id.toString(), getContext().getSelf(), node, acknowledged, List.of()));
            }
        });
        accepted.clear();
        answers.clear();
    }

    private Behavior<Command> onDrain() {
        draining = true;
        return outstanding.isEmpty() && answers.isEmpty() ? finish() : this;
    }

    /** Everything taken was answered: the entity stops (its instance with it). */
    private Behavior<Command> finish() {
        sendAnswers();
        return Behaviors.stopped();
    }

    private Behavior<Command> onConfigure(Configure configure) {
        if (instance == null) {
            configure.replyTo().tell(new Acknowledged(id.toString(), Optional.of(unavailable())));
            return this;
        }
        getContext().ask(Done.class, instance, CONTROL_TIMEOUT,
                replyTo -> new KernelCommand.SetBatching(configure.batching(), replyTo),
                (done, failure) -> new Replied(configure.replyTo(), Optional.ofNullable(failure).map(Throwable::getMessage)));
        return this;
    }

    private Behavior<Command> onInject(Inject inject) {
        if (instance == null) {
            inject.replyTo().tell(new Acknowledged(id.toString(), Optional.of(unavailable())));
            return this;
        }
        getContext().askWithStatus(Done.class, instance, CONTROL_TIMEOUT,
                replyTo -> new KernelCommand.InjectFault(0, inject.fault(), replyTo),
                (done, failure) -> new Replied(inject.replyTo(), Optional.ofNullable(failure).map(Throwable::getMessage)));
        return this;
    }

    private Behavior<Command> onReplied(Replied replied) {
        replied.to().tell(new Acknowledged(id.toString(), replied.error()));
        return this;
    }

    private String unavailable() {
        return hostFailure != null ? hostFailure.message() : "kernel entity " + id + " on " + node + " has no instance";
    }

    /**
     * Its instance stopped under it (the node is stopping its kernels): what it held it has answered; what comes
     * now is answered unavailable until the shard passivates this entity, whose next incarnation starts anew.
     */
    private Behavior<Command> onInstanceStopped() {
        instance = null;
        hostFailure = new HostFailed("kernel '" + id.kernelId() + "': its instance " + id + " on " + node
                + " stopped", ErrorCode.UNAVAILABLE);
        shard.tell(new ClusterSharding.Passivate<>(getContext().getSelf()));
        return this;
    }

    /** The last act: whatever is still unanswered is answered unavailable, so no sender waits in vain. */
    private Behavior<Command> onPostStop() {
        for (Outstanding request : outstanding.values()) {
            answers.computeIfAbsent(request.client(), c -> new ArrayList<>()).add(WireResult.failed(request.seq(),
                    ErrorCode.UNAVAILABLE, "kernel '" + id.kernelId() + "': kernel entity " + id + " on " + node
                            + " stopped before it answered"));
        }
        outstanding.clear();
        sendAnswers();
        host.stop(id.toString());
        return this;
    }
}
