package org.ringkernel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ringkernel.http.TestServer;

/**
 * The server jar as a cluster node, configured by environment variables alone: a node that the cluster downs
 * ends its process with {@link RingKernelServer#STOPPED_BY_CLUSTER} instead of lingering without its actor
 * system.
 */
class ClusterJarIT {
    /** Failure detection (a few seconds), the resolver's stable-after, then coordinated shutdown. */
    private static final Duration DOWNED_AND_GONE = Duration.ofSeconds(60);

    @BeforeAll
    static void theJarIsThere() {
        assertTrue(Files.isRegularFile(ServerProcess.JAR), "no server jar at " + ServerProcess.JAR
                + "; these tests run in mvn verify, after package");
    }

    private static Map<String, String> node(String roles, String seedNodes) {
        Map<String, String> env = new HashMap<>(Map.of(
                "RINGKERNEL_CLUSTER__ENABLED", "true",
                "RINGKERNEL_CLUSTER__ROLES", roles,
                "RINGKERNEL_CLUSTER__PORT", "0",
                // down-all: the survivor downs itself too once the other node is unreachable, deterministically
                // (keep-majority would keep whichever of two nodes has the lower address).
                "RINGKERNEL_CLUSTER__SPLIT_BRAIN_RESOLVER__ACTIVE_STRATEGY", "down-all",
                "RINGKERNEL_CLUSTER__SPLIT_BRAIN_RESOLVER__STABLE_AFTER", "2s"));
        if (!seedNodes.isEmpty()) {
            env.put("RINGKERNEL_CLUSTER__SEED_NODES", seedNodes);
        }
        return env;
    }

    @Test
    void aNodeTheClusterDownsExitsWithStatus3() throws Exception {
        try (ServerProcess gpu = ServerProcess.start(node("gpu", ""));
             ServerProcess ingress = ServerProcess.start(node("ingress", "127.0.0.1:" + gpu.clusterPort()))) {
            assertTrue(ingress.lines("ringkernel listening on").get(0).contains("(backend none, cluster node pekko://"
                    + RingKernelServer.SYSTEM_NAME + "@127.0.0.1:"), ingress.output());
            HttpClient client = TestServer.newClient();
            TestServer.awaitTrue(() -> ready(client, ingress), "the ingress node has joined and square runs",
                    Duration.ofMillis(200));

            gpu.kill();

            assertEquals(RingKernelServer.STOPPED_BY_CLUSTER, ingress.awaitExit(DOWNED_AND_GONE), ingress.output());
            List<String> stopped = ingress.lines("the actor system stopped (the cluster downed this node");
            assertEquals(1, stopped.size(), ingress.output());
            assertEquals(1, ingress.lines("shutdown on being downed by the cluster").size(), ingress.output());
        }
    }

    private static boolean ready(HttpClient client, ServerProcess server) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(server.probesUrl() + "/ready")).timeout(TestServer.WAIT)
                    .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
