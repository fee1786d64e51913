package org.ringkernel.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.Test;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.KernelRequestException;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * A gpu node leaves, or dies, while 10,000 requests flow from the ingress node: every request gets exactly one
 * answer (its result, or an error that says what happened), the shards come back on the remaining gpu node, and
 * later requests succeed there. Each test prints its figures (answers, errors, requests sent again, how long
 * until every entity ran again).
 */
class ClusterFailoverTest {
    private static final int REQUESTS = 10_000;
    private static final int WINDOW = 256;
    private static final int FAIL_AT = 2_000;
    private static final String SETTINGS = """
            ringkernel.cluster.instances-per-kernel = 4
            ringkernel.request-timeout = 30s
            """;

    @Test
    void aGpuNodeLeavingUnderLoadAnswersEveryRequest() throws Exception {
        try (ClusterNodes cluster = new ClusterNodes(SETTINGS)) {
            ActorSystem<Void> stays = cluster.start("gpu");
            ActorSystem<Void> leaves = cluster.start("gpu");
            ActorSystem<Void> ingress = cluster.start("ingress");
            cluster.awaitUp(3);
            awaitSpreadOver(ingress, ClusterNodes.address(stays), ClusterNodes.address(leaves));

            Load load = new Load(RingKernels.get(ingress).kernel("square"));
            long[] failedAt = new long[1];
            load.run(() -> {
                failedAt[0] = System.nanoTime();
                leaves.terminate();
            });
            long moved = awaitAllOn(ingress, ClusterNodes.address(stays)) - failedAt[0];
            load.report("graceful leave", ingress, moved);
            // Every request the leaving node took is answered with its result; the only errors allowed are the
            // remaining node's admission refusing part of the burst it inherits (an explicit 503 to HTTP clients).
            assertTrue(load.errors.keySet().stream().allMatch(error -> error.startsWith("OVERLOADED: kernel 'square'")),
                    "a graceful leave fails no request it took: " + load.errors);
            assertLaterRequestsSucceedOn(ingress, ClusterNodes.address(stays));
        }
    }

    @Test
    void aGpuNodeKilledUnderLoadLosesNoRequest() throws Exception {
        try (ClusterNodes cluster = new ClusterNodes(SETTINGS)) {
            ActorSystem<Void> stays = cluster.start("gpu");
            ActorSystem<Void> ingress = cluster.start("ingress");
            try (GpuNodeProcess dies = GpuNodeProcess.start(ClusterNodes.port(stays), SETTINGS)) {
                cluster.awaitUp(3);
                awaitSpreadOver(ingress, ClusterNodes.address(stays), dies.address());

                Load load = new Load(RingKernels.get(ingress).kernel("square"));
                long[] killedAt = new long[1];
                load.run(() -> {
                    killedAt[0] = System.nanoTime();
                    try {
                        dies.kill();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                long moved = awaitAllOn(ingress, ClusterNodes.address(stays)) - killedAt[0];
                load.report("kill -9", ingress, moved);
                assertTrue(load.errors.keySet().stream().allMatch(message -> message.contains("square")),
                        "every error names the kernel and what happened: " + load.errors);
            }
            assertLaterRequestsSucceedOn(ingress, ClusterNodes.address(stays));
        }
    }

    /** Waits until two of the kernel's four entities run active on each gpu node. */
    private static void awaitSpreadOver(ActorSystem<?> ingress, String one, String other) {
        ClusterNodes.awaitReady(ingress);
        ClusterNodes.awaitPlacement(ingress, "square", Map.of(one, 2L, other, 2L));
    }

    /** Waits until every entity runs active on {@code node}; returns when that was seen. */
    private static long awaitAllOn(ActorSystem<?> ingress, String node) {
        ClusterNodes.awaitPlacement(ingress, "square", Map.of(node, 4L));
        return System.nanoTime();
    }

    private static void assertLaterRequestsSucceedOn(ActorSystem<?> ingress, String node) throws Exception {
        KernelRef square = RingKernels.get(ingress).kernel("square");
        for (int i = 0; i < 200; i++) {
            KernelResult result = square.process(KernelRequest.of(Tensor.of(i, 2))).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            assertArrayEquals(new float[] {(float) i * i, 4}, result.output().data());
            assertEquals(node, result.node());
        }
    }

    /** {@link #REQUESTS} requests of 16 floats, {@link #WINDOW} at a time, each answer checked and counted. */
    private static final class Load {
        final KernelRef kernel;
        final AtomicIntegerArray answers = new AtomicIntegerArray(REQUESTS);
        final Map<String, Integer> errors = new TreeMap<>();
        final Map<String, Integer> perNode = new TreeMap<>();

        Load(KernelRef kernel) {
            this.kernel = kernel;
        }

        /** Sends everything, runs {@code failure} after {@link #FAIL_AT} requests, and waits for every answer. */
        void run(Runnable failure) throws Exception {
            Semaphore window = new Semaphore(WINDOW);
            CountDownLatch answered = new CountDownLatch(REQUESTS);
            List<CompletableFuture<Void>> checks = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                assertTrue(window.tryAcquire(60, TimeUnit.SECONDS), "an answer came within a minute");
                if (i == FAIL_AT) {
                    new Thread(failure, "failure").start();
                }
                int n = i;
                float[] input = new float[16];
                for (int j = 0; j < input.length; j++) {
                    input[j] = n + j / 16f;
                }
                checks.add(kernel.process(KernelRequest.of(Tensor.of(input))).toCompletableFuture()
                        .handle((result, failed) -> {
                            answers.incrementAndGet(n);
                            record(input, result, failed);
                            window.release();
                            answered.countDown();
                            return null;
                        }));
            }
            assertTrue(answered.await(2, TimeUnit.MINUTES), answered.getCount() + " requests got no answer");
            CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
            for (int i = 0; i < REQUESTS; i++) {
                assertEquals(1, answers.get(i), "request " + i + " got " + answers.get(i) + " answers");
            }
        }

        private synchronized void record(float[] input, KernelResult result, Throwable failed) {
            if (result != null) {
                float[] output = result.output().data();
                for (int j = 0; j < input.length; j++) {
                    assertEquals((float) ((double) input[j] * input[j]), output[j], 0f, "element " + j);
                }
                perNode.merge(result.node(), 1, Integer::sum);
            } else {
                Throwable cause = failed.getCause() != null ? failed.getCause() : failed;
                assertTrue(cause instanceof KernelRequestException, "an explicit error, not " + cause);
                String message = ((KernelRequestException) cause).code() + ": " + cause.getMessage();
                errors.merge(message, 1, Integer::sum);
            }
        }

        void report(String what, ActorSystem<?> ingress, long movedNanos) {
            RoutingCounters.Snapshot routed = RingKernels.get(ingress).cluster().orElseThrow().status().routing()
                    .get("square");
            int errorCount = errors.values().stream().mapToInt(Integer::intValue).sum();
            System.out.printf("%s: %d requests, %d results %s, %d errors, %d sent again unacknowledged, %d retried after "
                            + "their entity was lost, %d failed with it, %d late answers dropped; every entity ran "
                            + "again %d ms after the failure; errors: %s%n", what, REQUESTS, REQUESTS - errorCount,
                    perNode, errorCount, routed.resent(), routed.retried(), routed.lost(), routed.late(),
                    TimeUnit.NANOSECONDS.toMillis(movedNanos), errors);
        }
    }
}
