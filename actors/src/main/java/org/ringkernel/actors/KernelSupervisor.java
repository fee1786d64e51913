package org.ringkernel.actors;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.pattern.StatusReply;
import org.ringkernel.actors.metrics.KernelMetrics;
import org.ringkernel.actors.metrics.RuntimeMetrics;
import org.ringkernel.bridge.runtime.KernelState;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;

/**
 * The stable front of one kernel: spawns its instance actors, each supervised to restart on a
 * {@link KernelFailure}, spreads requests over the instances that take them, and keeps the kernel's
 * {@link KernelInfo} in the directory current. Its ref, and those of its instances, stay the same across
 * instance failures and actor restarts; {@link KernelRef#ref()} hands out the instance's own ref when there is
 * one instance (saving a hop per message) and this supervisor's otherwise.
 */
final class KernelSupervisor extends AbstractBehavior<KernelCommand> {
    private final KernelDefinition definition;
    private final String name;
    private final KernelDirectory directory;
    private final List<ActorRef<KernelCommand>> instances = new ArrayList<>();
    private final List<InstanceStatus> statuses = new ArrayList<>();
    private final ArrayDeque<BatchingCaller> batchingCallers = new ArrayDeque<>();
    private final ActorRef<Done> batchingApplied;
    private DeviceHandle device;
    private long acksRequested;
    private long acksReceived;

    /** A caller of a batching change, answered once {@code acksNeeded} instance acknowledgements arrived. */
    private record BatchingCaller(long acksNeeded, ActorRef<Done> replyTo) {
    }
    private int next;

    /**
     * @param name what the directory lists it under: the kernel's id, or a cluster entity's id
     * @param instanceCount how many instances it runs
     * @param started told this supervisor's ref once its instances exist and the kernel is listed
     */
    static Behavior<KernelCommand> create(KernelDefinition definition, String name, int instanceCount,
                                          RingKernelSettings settings, DeviceHandle device, KernelDirectory directory,
                                          ActorRef<StatusReply<ActorRef<KernelCommand>>> started) {
        return Behaviors.setup(context -> new KernelSupervisor(context, definition, name, instanceCount, settings, device,
                directory, started));
    }

    private KernelSupervisor(ActorContext<KernelCommand> context, KernelDefinition definition, String name,
                             int instanceCount, RingKernelSettings settings, DeviceHandle device,
                             KernelDirectory directory, ActorRef<StatusReply<ActorRef<KernelCommand>>> started) {
        super(context);
        this.definition = definition;
        this.name = name;
        this.directory = directory;
        this.device = device;
        this.batchingApplied = context.messageAdapter(Done.class, done -> InternalKernelCommand.BatchingApplied.INSTANCE);
        KernelMetrics metrics = RuntimeMetrics.of(settings.telemetry()).kernel(definition.id(),
                instanceCount * settings.bridge().instance().capacity());
        for (int i = 0; i < instanceCount; i++) {
            RestartHistory history = new RestartHistory(settings.supervision());
            Behavior<KernelCommand> instance = KernelActor.create(definition, i, settings, device, settings.batching(),
                    context.getSelf(), history, metrics);
            instances.add(context.spawn(Behaviors.supervise(instance).onFailure(KernelFailure.class,
                    SupervisorStrategy.restart()), "instance-" + i));
        }
        statuses.addAll(initialInfo(definition, instanceCount, settings, device).instances());
        publish();
        started.tell(StatusReply.success(context.getSelf()));
    }

    /** What is known of a kernel whose instances have not reported yet. */
    private static KernelInfo initialInfo(KernelDefinition definition, int instanceCount, RingKernelSettings settings,
                                          DeviceHandle device) {
        List<InstanceStatus> starting = new ArrayList<>();
        for (int i = 0; i < instanceCount; i++) {
            starting.add(new InstanceStatus(i, InstanceStatus.Phase.RESTARTING, KernelState.CREATED, "",
                    settings.batching(), 0,
                    Optional.empty(), Optional.empty(), InstanceStatus.InstanceCounters.ZERO,
                    InstanceStatus.Latency.NONE, ""));
        }
        return new KernelInfo(definition, device.backendName(), starting);
    }

    @Override
    public Receive<KernelCommand> createReceive() {
        return newReceiveBuilder()
                .onMessage(KernelCommand.Process.class, this::onProcess)
                .onMessage(KernelCommand.ProcessCompleting.class, this::onProcess)
                .onMessage(KernelCommand.ProcessTagged.class, this::onProcess)
                .onMessage(KernelCommand.ProcessGrouped.class, this::onProcess)
                .onMessage(KernelCommand.ProcessBatch.class, this::onBatch)
                .onMessage(KernelCommand.SetBatching.class, this::onSetBatching)
                .onMessage(KernelCommand.InjectFault.class, this::onInjectFault)
                .onMessage(InternalKernelCommand.InstanceReport.class, this::onReport)
                .onMessage(InternalKernelCommand.BatchingApplied.class, applied -> onBatchingApplied())
                .onMessage(InternalKernelCommand.DeviceRestarted.class, this::onDeviceRestarted)
                .build();
    }

    /**
     * A request with a routing key goes to the instance its key picks; others go round robin over the instances
     * that take requests, and with none, to the next one, which answers why.
     */
    private Behavior<KernelCommand> onProcess(KernelCommand.Computing process) {
        int count = instances.size();
        if (process.request().routingKey().isPresent()) {
            instances.get(Math.floorMod(process.request().routingKey().get().hashCode(), count)).tell(process);
            return this;
        }
        for (int tried = 0; tried < count; tried++) {
            int candidate = (next + tried) % count;
            if (statuses.get(candidate).phase() == InstanceStatus.Phase.ACTIVE) {
                next = candidate + 1;
                instances.get(candidate).tell(process);
                return this;
            }
        }
        instances.get(next++ % count).tell(process);
        return this;
    }

    /**
     * A batch is spread as its requests would be one by one, in runs that keep their tags in order: a request with a
     * routing key goes to the instance its key picks; the others are cut into as many consecutive slices as there
     * are instances that take requests, one slice each in turn (the counts round robin would give, a message per
     * instance instead of one per request); with none, the whole batch goes to the next one, which answers why.
     */
    private Behavior<KernelCommand> onBatch(KernelCommand.ProcessBatch batch) {
        int count = instances.size();
        List<Integer> active = new ArrayList<>(count);
        for (int tried = 0; tried < count; tried++) {
            int candidate = (next + tried) % count;
            if (statuses.get(candidate).phase() == InstanceStatus.Phase.ACTIVE) {
                active.add(candidate);
            }
        }
        if (active.isEmpty()) {
            instances.get(next++ % count).tell(batch);
            return this;
        }
        List<KernelRequest> requests = batch.requests();
        long unkeyed = requests.stream().filter(request -> request.routingKey().isEmpty()).count();
        long slice = (unkeyed + active.size() - 1) / active.size();
        int[] target = new int[requests.size()];
        long taken = 0;
        for (int i = 0; i < requests.size(); i++) {
            Optional<String> key = requests.get(i).routingKey();
            target[i] = key.isPresent() ? Math.floorMod(key.get().hashCode(), count)
                    : active.get((int) (taken++ / slice));
        }
        if (unkeyed > 0) {
            next = active.get((int) ((unkeyed - 1) / slice)) + 1;
        }
        int from = 0;
        for (int i = 1; i <= requests.size(); i++) {
            if (i == requests.size() || target[i] != target[from]) {
                instances.get(target[from]).tell(from == 0 && i == requests.size() ? batch : batch.slice(from, i));
                from = i;
            }
        }
        return this;
    }

    /**
     * Every instance applies the change and reports before it acknowledges; the caller hears back once all
     * have, so the listing shows the new batching by then.
     */
    private Behavior<KernelCommand> onSetBatching(KernelCommand.SetBatching set) {
        for (ActorRef<KernelCommand> instance : instances) {
            instance.tell(new KernelCommand.SetBatching(set.settings(), batchingApplied));
        }
        acksRequested += instances.size();
        batchingCallers.addLast(new BatchingCaller(acksRequested, set.replyTo()));
        return this;
    }

    private Behavior<KernelCommand> onBatchingApplied() {
        acksReceived++;
        while (!batchingCallers.isEmpty() && batchingCallers.peekFirst().acksNeeded() <= acksReceived) {
            batchingCallers.pollFirst().replyTo().tell(Done.getInstance());
        }
        return this;
    }

    private Behavior<KernelCommand> onInjectFault(KernelCommand.InjectFault inject) {
        if (inject.instance() < 0 || inject.instance() >= instances.size()) {
            inject.replyTo().tell(StatusReply.error("kernel '" + definition.id() + "' has instances 0 to "
                    + (instances.size() - 1) + ", not " + inject.instance()));
        } else {
            instances.get(inject.instance()).tell(inject);
        }
        return this;
    }

    private Behavior<KernelCommand> onReport(InternalKernelCommand.InstanceReport report) {
        statuses.set(report.status().index(), report.status());
        publish();
        return this;
    }

    private Behavior<KernelCommand> onDeviceRestarted(InternalKernelCommand.DeviceRestarted restarted) {
        device = restarted.device();
        instances.forEach(instance -> instance.tell(restarted));
        publish();
        return this;
    }

    private void publish() {
        directory.publish(name, getContext().getSelf(), instances,
                new KernelInfo(definition, device.backendName(), statuses));
    }
}
