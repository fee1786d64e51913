package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.http.TestServer.awaitTrue;
import static org.ringkernel.http.TestServer.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three servers in this JVM as one cluster on 127.0.0.1, each with clustering on and free ports: two {@code gpu}
 * nodes on the CPU backend (the first forms the cluster) and an ingress-only node. Requests to the ingress node
 * are computed on a gpu node, and every node shows the members and where the kernel entities run.
 */
class ClusterApiTest {
    private static final String NODE = """
            ringkernel {
              kernels.start = [square]
              cluster {
                enabled = on
                port = 0
                roles = [%s]
                seed-nodes = [%s]
                split-brain-resolver.stable-after = 2s
                view-refresh = 200ms
              }
            }
            pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
            pekko.loglevel = WARNING
            """;

    /** How often a condition is polled over HTTP: every poll is a request, logged when it answers 503. */
    private static final Duration POLL = Duration.ofMillis(50);

    private static final List<TestServer> servers = new ArrayList<>();
    private static TestServer ingress;
    private static Set<String> gpuNodes;

    @BeforeAll
    static void startTheCluster() {
        TestServer first = start("gpu", "");
        String seed = "\"127.0.0.1:" + Cluster.get(first.running().system()).selfMember().address().getPort().get() + "\"";
        TestServer second = start("gpu", seed);
        ingress = start("ingress", seed);
        gpuNodes = Set.of(node(first), node(second));
        awaitTrue(() -> ingress.get("/ready").statusCode() == 200, "the ingress node is ready", POLL);
    }

    private static TestServer start(String roles, String seeds) {
        TestServer server = TestServer.start(NODE.formatted(roles, seeds));
        servers.add(server);
        return server;
    }

    private static String node(TestServer server) {
        return server.kernels().cluster().orElseThrow().node();
    }

    /** One node after the other, last started first: nodes that all leave at once wait on each other's exit. */
    @AfterAll
    static void stopTheCluster() {
        for (int i = servers.size() - 1; i >= 0; i--) {
            servers.get(i).close();
        }
    }

    @Test
    void theIngressNodeAnswersWithTheResultOfAGpuNodeAndNamesIt() {
        float[] x = new float[16];
        Random random = new Random(11);
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.5f + random.nextFloat() * (random.nextBoolean() ? 3 : -3);
        }
        StringBuilder data = new StringBuilder();
        for (float v : x) {
            data.append(data.length() == 0 ? "" : ",").append(v);
        }
        HttpResponse<String> response = ingress.postJson("/api/kernels/square/process",
                "{\"inputs\":[{\"shape\":[16],\"data\":[" + data + "]}]}");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = json(response);
        JsonNode output = body.get("outputs").get(0);
        assertEquals(16, output.get("shape").get(0).asInt(), body.toString());
        for (int i = 0; i < x.length; i++) {
            double expected = (double) x[i] * x[i];
            assertEquals(expected, output.get("data").get(i).asDouble(), Math.abs(expected) * 1e-6, body.toString());
        }
        assertEquals("cpu", body.get("backend").asText(), body.toString());
        assertTrue(gpuNodes.contains(body.get("node").asText()), "computed on a gpu node " + gpuNodes + ": " + body);
    }

    @Test
    void requestsWithOneRoutingKeyAreAllComputedOnOneNode() throws Exception {
        // Entities move until each gpu node runs one of square's two; a key's node is steady from then on.
        awaitTrue(() -> ingress.kernels().kernel("square").info().instances().stream()
                .map(instance -> instance.node()).collect(Collectors.toSet()).equals(gpuNodes),
                "square's entities run one on each gpu node", POLL);
        for (String key : List.of("tenant-a", "tenant-b", "tenant-c", "tenant-d")) {
            Set<String> nodes = new TreeSet<>();
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> response = ingress.client().send(ingress.request("/api/kernels/square/process")
                        .header("Content-Type", "application/json").header("X-Routing-Key", key)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\":[{\"data\":[" + i + "]}]}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), response.body());
                nodes.add(json(response).get("node").asText());
            }
            assertEquals(1, nodes.size(), "key " + key + " was computed on " + nodes);
        }
    }

    @Test
    void anEmptyRoutingKeyIsABadRequest() throws Exception {
        HttpResponse<String> response = ingress.client().send(ingress.request("/api/kernels/square/process")
                .header("Content-Type", "application/json").header("X-Routing-Key", " ")
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\":[{\"data\":[1]}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, response.statusCode(), response.body());
        assertTrue(response.body().contains("X-Routing-Key"), response.body());
    }

    @Test
    void everyNodeListsTheThreeMembersWithTheirRolesAndWhereTheEntitiesRun() {
        for (TestServer server : servers) {
            awaitTrue(() -> placement(cluster(server)).keySet().equals(Set.of("square#0", "square#1"))
                            && membersUp(cluster(server)) == 3,
                    "three members are up and both entities of square are listed by " + node(server), POLL);
            JsonNode cluster = cluster(server);
            assertEquals(node(server), cluster.get("self").asText());
            assertFalse(cluster.get("leader").asText().isEmpty(), cluster.toString());

            Map<String, String> roles = new TreeMap<>();
            for (JsonNode member : cluster.get("members")) {
                roles.put(member.get("address").asText(), member.get("roles").toString());
                assertEquals("Up", member.get("status").asText(), member.toString());
                assertTrue(member.get("reachable").asBoolean(), member.toString());
            }
            assertEquals(Map.of(node(servers.get(0)), "[\"gpu\"]", node(servers.get(1)), "[\"gpu\"]", node(ingress),
                    "[\"ingress\"]"), roles);
            assertTrue(gpuNodes.containsAll(placement(cluster).values()), "entities run on gpu nodes only: " + cluster);
            for (JsonNode description : cluster.get("nodes")) {
                if (description.get("node").asText().equals(node(ingress))) {
                    assertEquals("none", description.get("backend").asText(), "an ingress node runs no kernels");
                    assertEquals(0, description.get("entities").size(), description.toString());
                } else {
                    assertEquals("cpu", description.get("backend").asText(), description.toString());
                }
            }
        }
    }

    @Test
    void anEntityShowsItsKernelStateAndCounters() {
        // An instance reports once when it is activated and again on its next report tick, by which time its
        // kernel has taken the activation: wait for that report.
        awaitTrue(() -> placement(cluster(ingress)).size() == 2 && cluster(ingress).findValues("kernel_state")
                .stream().allMatch(state -> state.asText().equals("active")), "both entities are listed, active",
                POLL);
        for (JsonNode description : cluster(ingress).get("nodes")) {
            for (JsonNode entity : description.get("entities")) {
                assertEquals("square", entity.get("kernel").asText(), entity.toString());
                assertEquals("active", entity.get("phase").asText(), entity.toString());
                assertEquals("active", entity.get("kernel_state").asText(), entity.toString());
                assertEquals("cpu", entity.get("backend").asText(), entity.toString());
                for (String counter : List.of("received", "succeeded", "failed", "in_flight")) {
                    assertTrue(entity.get("counters").get(counter).isNumber(), counter + " in " + entity);
                }
            }
        }
    }

    @Test
    void kernelInfoOnTheIngressNodeNamesTheNodeOfEachInstance() {
        awaitTrue(() -> instanceNodes(ingress).size() == 2, "both instances are placed", POLL);
        assertTrue(gpuNodes.containsAll(instanceNodes(ingress)), ingress.get("/api/kernels/square").body());
    }

    @Test
    void theIngressNodeIsReadyAndRunsNoBackend() {
        JsonNode ready = json(ingress.get("/ready"));
        assertTrue(ready.get("ready").asBoolean(), ready.toString());
        assertEquals("none", ready.get("backend").asText(), ready.toString());
        assertEquals(0, ready.get("problems").size(), ready.toString());
        assertTrue(ready.get("notes").isArray(), ready.toString());
    }

    @Test
    void theRoutingCountersCountWhatTheIngressNodeSent() {
        HttpResponse<String> response = ingress.postJson("/api/kernels/square/process",
                "{\"inputs\":[{\"shape\":[2],\"data\":[1.5,-2]}]}");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode routed = cluster(ingress).get("routing").get("square");
        assertTrue(routed.get("sent").asLong() >= 1, routed.toString());
        for (String counter : List.of("resent", "retried", "lost", "late")) {
            assertTrue(routed.get(counter).isNumber(), counter + " in " + routed);
        }
    }

    @Test
    void aNodeThatHasNotJoinedIsNotReadyAndSaysWhy() {
        try (TestServer alone = TestServer.start(NODE.formatted("ingress", "\"127.0.0.1:1\""))) {
            HttpResponse<String> response = alone.get("/ready");
            assertEquals(503, response.statusCode(), response.body());
            JsonNode problems = json(response).get("problems");
            assertTrue(problems.get(0).asText().startsWith("this node has not joined the cluster yet"), problems.toString());
            assertEquals(node(alone), cluster(alone).get("self").asText());
        }
    }

    private static JsonNode cluster(TestServer server) {
        HttpResponse<String> response = server.get("/api/cluster");
        assertEquals(200, response.statusCode(), response.body());
        return json(response);
    }

    private static long membersUp(JsonNode cluster) {
        long up = 0;
        for (JsonNode member : cluster.get("members")) {
            up += member.get("status").asText().equals("Up") ? 1 : 0;
        }
        return up;
    }

    /** Entity id to the node that hosts it. */
    private static Map<String, String> placement(JsonNode cluster) {
        Map<String, String> placement = new TreeMap<>();
        for (JsonNode description : cluster.get("nodes")) {
            for (JsonNode entity : description.get("entities")) {
                placement.put(entity.get("entity_id").asText(), description.get("node").asText());
            }
        }
        return placement;
    }

    /** The node of each instance that names one. */
    private static List<String> instanceNodes(TestServer server) {
        List<String> nodes = new ArrayList<>();
        for (JsonNode instance : json(server.get("/api/kernels/square")).get("instances")) {
            if (instance.has("node")) {
                nodes.add(instance.get("node").asText());
            }
        }
        return nodes;
    }
}
