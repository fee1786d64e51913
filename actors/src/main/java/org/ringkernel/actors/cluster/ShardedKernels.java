package org.ringkernel.actors.cluster;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import org.ringkernel.actors.InstanceStatus;
import org.ringkernel.actors.KernelCommand;
import org.ringkernel.actors.KernelHost;
import org.ringkernel.actors.KernelInfo;
import org.ringkernel.actors.Readiness;
import org.ringkernel.actors.RingKernelSettings;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.runtime.KernelState;

/**
 * The kernels of a cluster, as one node sees them: it joins the seed nodes, starts Cluster Sharding of
 * {@link KernelEntity kernel entities} (hosted on nodes with role {@code gpu}; other nodes run a proxy), a
 * {@link KernelRouter} per kernel used from this node, the node's {@link NodeReporter} and the
 * {@link ClusterView}. Created by the {@code RingKernels} extension when {@code ringkernel.cluster.enabled} is
 * on; nothing of it exists otherwise.
 */
public final class ShardedKernels {
    private static final Duration ROUTER_START = Duration.ofSeconds(10);

    private final ActorSystem<?> system;
    private final ClusterSettings settings;
    private final RingKernelSettings kernelSettings;
    private final Function<String, Optional<KernelDefinition>> definitions;
    private final ActorRef<ShardingEnvelope<KernelEntity.Command>> region;
    private final AtomicReference<List<NodeDescription>> view = new AtomicReference<>(List.of());
    private final Map<String, ActorRef<KernelCommand>> routers = new ConcurrentHashMap<>();
    private final Map<String, RoutingCounters> counters = new ConcurrentHashMap<>();
    private final String node;

    private ShardedKernels(ActorSystem<?> system, ClusterSettings settings, RingKernelSettings kernelSettings,
                           Optional<KernelHost> host, Function<String, Optional<KernelDefinition>> definitions,
                           List<String> notes) {
        this.system = system;
        this.settings = settings;
        this.kernelSettings = kernelSettings;
        this.definitions = definitions;
        Cluster cluster = Cluster.get(system);
        this.node = cluster.selfMember().address().toString();
        join(system, settings, cluster);
        Entity<KernelEntity.Command, ShardingEnvelope<KernelEntity.Command>> entity = Entity.of(KernelEntity.TYPE_KEY,
                        context -> KernelEntity.create(context.getEntityId(), context.getShard(), host.orElseThrow(),
                                settings, node))
                .withRole(ClusterSettings.GPU_ROLE)
                .withStopMessage(KernelEntity.Drain.INSTANCE);
        this.region = ClusterSharding.get(system).init(entity);
        system.systemActorOf(NodeReporter.create(node, settings.roles(), host, () -> notes), "ringkernel-node",
                Props.empty());
        system.systemActorOf(ClusterView.create(settings.viewRefresh(), view, this::wake), "ringkernel-cluster-view",
                Props.empty());
    }

    /**
     * Starts the cluster side of the bridge.
     *
     * @param host this node's kernels, present where it has role {@code gpu}
     * @param definitions the kernels this node knows, by id
     * @param notes what this node reports to operators about itself
     * @throws IllegalStateException when the actor system was not created with the cluster provider
     */
    public static ShardedKernels start(ActorSystem<?> system, ClusterSettings settings, RingKernelSettings kernelSettings,
                                       Optional<KernelHost> host, Function<String, Optional<KernelDefinition>> definitions,
                                       List<String> notes) {
        String provider = system.settings().config().getString("pekko.actor.provider");
        if (!provider.equals("cluster") && !provider.endsWith("ClusterActorRefProvider")) {
            throw new IllegalStateException("ringkernel.cluster.enabled is on but the actor system's pekko.actor.provider"
                    + " is '" + provider + "': create the system with ClusterSystemConfig.apply(config)");
        }
        return new ShardedKernels(system, settings, kernelSettings, host, definitions, notes);
    }

    private static void join(ActorSystem<?> system, ClusterSettings settings, Cluster cluster) {
        if (!settings.seedNodes().isEmpty()) {
            List<Address> seeds = settings.seedNodes().stream()
                    .map(seed -> new Address("pekko", system.name(), seed.host(), seed.port())).toList();
            cluster.manager().tell(new JoinSeedNodes(seeds));
        } else if (system.settings().config().getStringList("pekko.cluster.seed-nodes").isEmpty()) {
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
        }
    }

    /** This node's address. */
    public String node() {
        return node;
    }

    /**
     * The actor that takes {@code definition}'s requests on this node and sends them to its entities.
     *
     * @throws IllegalStateException when the router does not start in time
     */
    public ActorRef<KernelCommand> router(KernelDefinition definition) {
        return routers.computeIfAbsent(definition.id(), id -> {
            CompletableFuture<ActorRef<KernelCommand>> front = new CompletableFuture<>();
            int entities = settings.instancesOf(id);
            int maxPending = (kernelSettings.bridge().instance().capacity() + kernelSettings.maxWaitQueue()) * entities;
            RoutingCounters routed = counters.computeIfAbsent(id, k -> new RoutingCounters());
            system.systemActorOf(KernelRouter.create(definition, entities, maxPending, region, settings, routed, front),
                    "ringkernel-router-" + URLEncoder.encode(id, StandardCharsets.UTF_8), Props.empty());
            try {
                return front.get(ROUTER_START.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the router of kernel '" + id + "'", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("the router of kernel '" + id + "' did not start: " + e, e);
            }
        });
    }

    /** What the cluster runs of {@code definition}: one instance per entity, placed on its node. */
    public KernelInfo info(KernelDefinition definition) {
        int entities = settings.instancesOf(definition.id());
        InstanceStatus[] statuses = new InstanceStatus[entities];
        String backend = "";
        for (NodeDescription description : view.get()) {
            for (NodeDescription.HostedEntity hosted : description.entities()) {
                EntityId id = EntityId.parse(hosted.entityId());
                if (id.kernelId().equals(definition.id()) && id.index() < entities) {
                    statuses[id.index()] = hosted.status();
                    backend = backend.isEmpty() ? hosted.backend() : backend;
                }
            }
        }
        List<InstanceStatus> instances = new ArrayList<>();
        for (int index = 0; index < entities; index++) {
            instances.add(statuses[index] != null ? statuses[index] : notRunning(index));
        }
        return new KernelInfo(definition, backend, instances);
    }

    private InstanceStatus notRunning(int index) {
        return new InstanceStatus(index, InstanceStatus.Phase.RESTARTING, KernelState.CREATED, "",
                kernelSettings.batching(), 0, Optional.of("no node runs it yet"), Optional.empty(),
                InstanceStatus.InstanceCounters.ZERO, InstanceStatus.Latency.NONE, "");
    }

    /** Every kernel the cluster runs or should run ({@code ringkernel.kernels.start}), by id. */
    public List<KernelInfo> kernels() {
        Set<String> ids = new LinkedHashSet<>(kernelSettings.startKernels());
        for (NodeDescription description : view.get()) {
            description.entities().forEach(hosted -> ids.add(EntityId.parse(hosted.entityId()).kernelId()));
        }
        return ids.stream().map(definitions).flatMap(Optional::stream).map(this::info)
                .sorted(KernelInfo.ORDER).toList();
    }

    /**
     * Whether this node can serve: it has joined, a {@code gpu} node is reachable, and every kernel of
     * {@code ringkernel.kernels.start} has an active entity somewhere; each problem says which.
     */
    public Readiness readiness(List<String> notes) {
        List<String> problems = new ArrayList<>();
        ClusterEvent.CurrentClusterState state = Cluster.get(system).state();
        MemberStatus self = Cluster.get(system).selfMember().status();
        if (self != MemberStatus.up()) {
            problems.add("this node has not joined the cluster yet (status " + self.toString().toLowerCase(Locale.ROOT)
                    + "; seed nodes " + settings.seedNodes() + ")");
        }
        boolean gpuReachable = StreamSupport.stream(state.getMembers().spliterator(), false)
                .anyMatch(member -> member.status() == MemberStatus.up() && member.hasRole(ClusterSettings.GPU_ROLE)
                        && !state.getUnreachable().contains(member));
        if (!gpuReachable) {
            problems.add("no node with role " + ClusterSettings.GPU_ROLE + " is reachable");
        }
        for (String id : kernelSettings.startKernels()) {
            definitions.apply(id).map(this::info).filter(info -> !info.available()).ifPresent(info ->
                    problems.add("kernel '" + id + "' is starting: none of its " + info.instances().size()
                            + " entities is active yet"));
        }
        return new Readiness(problems.isEmpty(), problems, notes);
    }

    /** Members, placement and routing as this node sees them. */
    public ClusterStatus status() {
        ClusterEvent.CurrentClusterState state = Cluster.get(system).state();
        List<ClusterStatus.Member> members = new ArrayList<>();
        state.getMembers().forEach(member -> members.add(new ClusterStatus.Member(member.address().toString(),
                member.getRoles().stream().filter(role -> !role.startsWith("dc-")).sorted().toList(),
                member.status().toString(), !state.getUnreachable().contains(member))));
        Map<String, RoutingCounters.Snapshot> routing = new TreeMap<>();
        counters.forEach((id, routed) -> routing.put(id, routed.snapshot()));
        String leader = state.getLeader() == null ? "" : state.getLeader().toString();
        return new ClusterStatus(node, leader, members, view.get(), routing);
    }

    /** Entities of the kernels started with the system that run nowhere yet are started, wherever they belong. */
    private void wake() {
        if (Cluster.get(system).selfMember().status() != MemberStatus.up()) {
            return;
        }
        for (String id : kernelSettings.startKernels()) {
            KernelInfo info = definitions.apply(id).map(this::info).orElse(null);
            if (info == null) {
                continue;
            }
            for (InstanceStatus instance : info.instances()) {
                if (instance.node().isEmpty()) {
                    region.tell(new ShardingEnvelope<>(EntityId.of(id, instance.index()).toString(),
                            KernelEntity.Wake.INSTANCE));
                }
            }
        }
    }
}
