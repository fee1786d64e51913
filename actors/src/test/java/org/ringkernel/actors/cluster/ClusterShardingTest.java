package org.ringkernel.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ringkernel.actors.ErrorCode;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.KernelRequestException;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.actors.stream.KernelFlows;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/** Three nodes on 127.0.0.1: two gpu nodes on the CPU backend and an ingress-only node that sends everything. */
class ClusterShardingTest {
    private static ClusterNodes cluster;
    private static ActorSystem<Void> gpuA;
    private static ActorSystem<Void> gpuB;
    private static ActorSystem<Void> ingress;

    @BeforeAll
    static void startCluster() {
        cluster = new ClusterNodes("""
                ringkernel.cluster.instances-per-kernel = 4
                ringkernel.debug.fault-injection = on
                """);
        gpuA = cluster.start("gpu");
        gpuB = cluster.start("gpu");
        cluster.awaitUp(2);
        ingress = cluster.start("ingress");
        cluster.awaitUp(3);
        ClusterNodes.awaitReady(ingress);
        // The first gpu node may take every shard before the second joins; rebalancing then moves some over until
        // each holds two of the four (their entities' shards differ), and nothing moves after that.
        ClusterNodes.awaitPlacement(ingress, "square",
                Map.of(ClusterNodes.address(gpuA), 2L, ClusterNodes.address(gpuB), 2L));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    @Test
    void requestsFromTheIngressNodeReachKernelsOnBothGpuNodes() throws Exception {
        KernelRef square = RingKernels.get(ingress).kernel("square");
        Random random = new Random(11);
        List<float[]> inputs = new ArrayList<>();
        List<CompletableFuture<KernelResult>> results = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            float[] values = new float[1 + random.nextInt(32)];
            for (int j = 0; j < values.length; j++) {
                values[j] = random.nextFloat() * 20 - 10;
            }
            inputs.add(values);
            results.add(square.process(KernelRequest.of(Tensor.of(values))).toCompletableFuture());
        }
        Map<String, Integer> perNode = new HashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            KernelResult result = results.get(i).get(30, TimeUnit.SECONDS);
            float[] in = inputs.get(i);
            float[] expected = new float[in.length];
            for (int j = 0; j < in.length; j++) {
                expected[j] = (float) ((double) in[j] * in[j]);
            }
            assertArrayEquals(expected, result.output().data(), 1e-6f);
            perNode.merge(result.node(), 1, Integer::sum);
        }
        assertEquals(Set.of(ClusterNodes.address(gpuA), ClusterNodes.address(gpuB)), perNode.keySet(),
                "answers by node: " + perNode);
    }

    @Test
    void aRoutingKeyAlwaysLandsOnOneEntity() throws Exception {
        KernelRef square = RingKernels.get(ingress).kernel("square");
        for (String key : List.of("tenant-a", "tenant-b", "tenant-c")) {
            Set<String> nodes = new TreeSet<>();
            for (int i = 0; i < 50; i++) {
                KernelResult result = square.process(KernelRequest.of(Tensor.of(i)).withRoutingKey(key))
                        .toCompletableFuture().get(30, TimeUnit.SECONDS);
                nodes.add(result.node());
            }
            assertEquals(1, nodes.size(), "key " + key + " was answered by " + nodes);
        }
    }

    @Test
    void kernelFlowsFromTheIngressNodeWorkAcrossNodes() throws Exception {
        KernelRef square = RingKernels.get(ingress).kernel("square");
        List<KernelRequest> requests = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            requests.add(KernelRequest.of(Tensor.of(i, -i)));
        }
        List<KernelResult> results = Source.from(requests).via(KernelFlows.ordered(square, 64))
                .runWith(Sink.seq(), ingress).toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertEquals(requests.size(), results.size());
        Set<String> nodes = new TreeSet<>();
        for (int i = 0; i < results.size(); i++) {
            assertArrayEquals(new float[] {(float) i * i, (float) i * i}, results.get(i).output().data());
            nodes.add(results.get(i).node());
        }
        assertEquals(2, nodes.size(), "answered by " + nodes);
    }

    @Test
    void aFaultInjectedFromTheIngressNodeFailsOneBatchOfThatEntityWhichThenRecovers() throws Exception {
        KernelRef square = RingKernels.get(ingress).kernel("square");
        String key = "";
        for (int i = 0; Math.floorMod(key.hashCode(), 4) != 3; i++) {
            key = "key-" + i;
        }
        KernelRequest request = KernelRequest.of(Tensor.of(3f)).withRoutingKey(key);
        assertEquals(9f, square.process(request).toCompletableFuture().get(30, TimeUnit.SECONDS).output().get(0));
        RingKernels.get(ingress).faults().failNextBatch("square", 3).toCompletableFuture().get(30, TimeUnit.SECONDS);

        CompletableFuture<KernelResult> failed = square.process(request).toCompletableFuture();
        ExecutionException e = assertThrows(ExecutionException.class, () -> failed.get(30, TimeUnit.SECONDS));
        KernelRequestException error = assertInstanceOf(KernelRequestException.class, e.getCause());
        assertEquals(ErrorCode.KERNEL_FAILED, error.code(), error.getMessage());
        ClusterNodes.awaitTrue(() -> square.process(request).toCompletableFuture().handle((r, f) -> r != null).join(),
                "entity square#3 answers again after its restart");
    }

    @Test
    void everyNodeListsTheEntitiesAndWhereTheyRun() {
        ClusterNodes.awaitTrue(() -> RingKernels.get(ingress).kernel("square").info().instances().stream()
                .allMatch(instance -> !instance.node().isEmpty()), "every entity of square runs somewhere");
        ClusterStatus status = RingKernels.get(ingress).cluster().orElseThrow().status();
        assertEquals(3, status.members().size());
        assertTrue(status.nodes().stream().filter(node -> node.roles().contains("gpu"))
                .allMatch(node -> !node.entities().isEmpty()), "both gpu nodes host entities: " + status.nodes());
    }
}
