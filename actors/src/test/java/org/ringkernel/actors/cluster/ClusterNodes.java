package org.ringkernel.actors.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.ringkernel.actors.InstanceStatus;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.RingKernels;

/**
 * A cluster of actor systems in this JVM on 127.0.0.1, each on a free port: the first node forms the cluster,
 * the others join it. Every node runs the CPU backend.
 */
final class ClusterNodes implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String SYSTEM_NAME = "ringkernel-cluster-test";

    private final String hocon;
    private final List<ActorSystem<Void>> nodes = new ArrayList<>();

    /** @param hocon settings every node shares, over the test defaults */
    ClusterNodes(String hocon) {
        this.hocon = hocon;
    }

    /** Starts a node with {@code roles} (e.g. {@code "gpu"} or {@code "ingress"}) and its kernels extension. */
    ActorSystem<Void> start(String roles) {
        return start(roles, "");
    }

    ActorSystem<Void> start(String roles, String nodeHocon) {
        String seeds = nodes.isEmpty() ? "[]" : "[\"127.0.0.1:" + port(nodes.get(0)) + "\"]";
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), SYSTEM_NAME,
                ClusterSystemConfig.apply(nodeConfig(roles, seeds, nodeHocon + "\n" + hocon)));
        nodes.add(system);
        RingKernels.get(system);
        return system;
    }

    /** The remoting port of {@code node}. */
    static int port(ActorSystem<?> node) {
        return Cluster.get(node).selfMember().address().getPort().get();
    }

    /** A node's configuration: {@code hocon} over the test defaults, with clustering on, on a free port. */
    static Config nodeConfig(String roles, String seeds, String hocon) {
        return ConfigFactory.parseString(hocon + "\n"
                        + "ringkernel.cluster { enabled = on, port = 0, roles = [" + roles + "], seed-nodes = " + seeds + " }\n"
                        + "ringkernel.backend = cpu\n")
                .withFallback(ConfigFactory.parseString("""
                        ringkernel.kernels.start = [square]
                        ringkernel.cluster.split-brain-resolver.stable-after = 2s
                        ringkernel.cluster.view-refresh = 200ms
                        pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                        pekko.coordinated-shutdown.terminate-actor-system = on
                        ringkernel.cluster.rebalance-interval = 1s
                        pekko.loglevel = WARNING
                        """))
                .withFallback(ConfigFactory.load());
    }

    /** Waits until {@code count} members are up, as every running node sees it. */
    void awaitUp(int count) {
        awaitTrue(() -> nodes.stream().filter(node -> !node.whenTerminated().isCompleted()).allMatch(node ->
                        Cluster.get(node).state().members().count(m -> m.status() == org.apache.pekko.cluster.MemberStatus.up()) == count),
                count + " members are up");
    }

    /** Waits until {@code node} is ready to serve, as its readiness says. */
    static void awaitReady(ActorSystem<?> node) {
        awaitTrue(() -> RingKernels.get(node).readiness().ready(), "the node is ready ("
                + RingKernels.get(node).readiness().problems() + ")");
    }

    /**
     * Waits until the entities of {@code kernelId} run active, as many on each node as {@code activeByNode} says
     * (seen from {@code node}); rebalancing stops moving them once they are spread evenly.
     */
    static void awaitPlacement(ActorSystem<?> node, String kernelId, Map<String, Long> activeByNode) {
        KernelRef kernel = RingKernels.get(node).kernel(kernelId);
        awaitTrue(() -> kernel.info().instances().stream().filter(instance -> instance.phase() == InstanceStatus.Phase.ACTIVE)
                        .collect(Collectors.groupingBy(InstanceStatus::node, Collectors.counting())).equals(activeByNode),
                kernelId + "'s entities run active as " + activeByNode + " (" + kernel.info().instances().stream()
                        .map(instance -> instance.index() + "@" + instance.node() + ":" + instance.phase())
                        .collect(Collectors.joining(", ")) + ")");
    }

    static String address(ActorSystem<?> node) {
        return Cluster.get(node).selfMember().address().toString();
    }

    static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    @Override
    public void close() throws Exception {
        for (ActorSystem<Void> node : nodes) {
            node.terminate();
        }
        for (ActorSystem<Void> node : nodes) {
            node.getWhenTerminated().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
