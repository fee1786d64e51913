package org.ringkernel.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.ringkernel.actors.InstanceStatus;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.actors.cluster.ClusterSystemConfig;

/**
 * A cluster of actor systems in the benchmark's JVM on 127.0.0.1, each on a free port, the CPU backend on every
 * node: the first node forms the cluster and the others join it, as a deployment's seed nodes would.
 */
final class BenchCluster implements AutoCloseable {
    /** How long forming the cluster and placing the entities may take before the trial fails. */
    private static final Duration FORMING = Duration.ofSeconds(90);
    private static final String SYSTEM_NAME = "ringkernel-bench-cluster";

    private final String hocon;
    private final List<ActorSystem<Void>> nodes = new ArrayList<>();

    /** @param hocon settings every node shares, over the benchmark defaults */
    BenchCluster(String hocon) {
        this.hocon = hocon;
    }

    /** Starts a node with {@code roles} (e.g. {@code gpu} or {@code ingress}) and its kernels extension. */
    ActorSystem<Void> start(String roles) {
        String seeds = nodes.isEmpty() ? "[]" : "[\"127.0.0.1:" + port(nodes.get(0)) + "\"]";
        ActorSystem<Void> node = ActorSystem.create(Behaviors.empty(), SYSTEM_NAME, ClusterSystemConfig.apply(
                BenchSystems.config("ringkernel.cluster { enabled = on, port = 0, roles = [" + roles
                        + "], seed-nodes = " + seeds + " }\n" + hocon)));
        nodes.add(node);
        RingKernels.get(node);
        return node;
    }

    /** Waits until every node sees {@code count} members up. */
    void awaitUp(int count) {
        await(() -> nodes.stream().allMatch(node -> Cluster.get(node).state().members()
                .count(member -> member.status() == MemberStatus.up()) == count), () -> count + " members are up");
    }

    /**
     * Waits until {@code node} is ready and every entity of {@code kernelId} runs, spread over exactly
     * {@code hosts}: the measurement must not include placing or moving them.
     */
    static void awaitPlaced(ActorSystem<?> node, String kernelId, List<ActorSystem<Void>> hosts) {
        RingKernels kernels = RingKernels.get(node);
        await(() -> kernels.readiness().ready(), () -> "the node is ready (" + kernels.readiness().problems() + ")");
        Set<String> expected = hosts.stream().map(BenchCluster::address).collect(Collectors.toSet());
        await(() -> {
            List<InstanceStatus> instances = kernels.kernel(kernelId).info().instances();
            return instances.stream().allMatch(instance -> instance.phase() == InstanceStatus.Phase.ACTIVE)
                    && instances.stream().map(InstanceStatus::node).collect(Collectors.toSet()).equals(expected);
        }, () -> "the entities of " + kernelId + " run on " + expected + ", they run on "
                + kernels.kernel(kernelId).info().instances().stream().map(InstanceStatus::node).toList());
    }

    static String address(ActorSystem<?> node) {
        return Cluster.get(node).selfMember().address().toString();
    }

    private static int port(ActorSystem<?> node) {
        return Cluster.get(node).selfMember().address().getPort().get();
    }

    private static void await(BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + FORMING.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("timed out after " + FORMING.toSeconds() + " s waiting until "
                        + what.get());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    /** Stops the nodes one at a time, the last started first, so each leaves a cluster that can still confirm it. */
    @Override
    public void close() throws Exception {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).terminate();
            nodes.get(i).getWhenTerminated().toCompletableFuture().get(FORMING.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
