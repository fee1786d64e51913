package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.http.TestServer.awaitTrue;
import static org.ringkernel.http.TestServer.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The read-only endpoints: kernel listings, liveness, readiness, the cluster (off here), and the request id every
 * answer carries.
 */
@ExtendWith(SharedServer.class)
class ListingAndProbeTest {
    private static TestServer server;

    @BeforeAll
    static void startServer(TestServer shared) {
        server = shared;
        awaitTrue(() -> server.get("/ready").statusCode() == 200, "the shared server's kernels are active");
    }

    @Test
    void theListingHasEveryStartedKernelWithItsSignatureModeAndState() {
        HttpResponse<String> response = server.get("/api/kernels");
        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        JsonNode kernels = json(response).get("kernels");
        List<String> ids = new ArrayList<>();
        kernels.forEach(kernel -> ids.add(kernel.get("id").asText()));
        List<String> started = new ArrayList<>(Arrays.asList(SharedServer.KERNELS.split(",\\s*")));
        started.sort(null);
        assertEquals(started, ids, "the started kernels, by id");
        for (JsonNode kernel : kernels) {
            assertTrue(kernel.get("inputs").size() >= 1, kernel.toString());
            assertTrue(kernel.get("outputs").size() >= 1, kernel.toString());
            assertTrue(kernel.get("params").isArray(), kernel.toString());
            assertEquals("active", kernel.get("state").asText(), kernel.toString());
            assertFalse(kernel.get("mode").asText().isBlank(), kernel.toString());
        }
    }

    @Test
    void oneKernelShowsItsInputsOutputsParamsAndBatching() {
        HttpResponse<String> response = server.get("/api/kernels/saxpy");
        assertEquals(200, response.statusCode());
        JsonNode saxpy = json(response);
        assertEquals("saxpy", saxpy.get("id").asText());
        assertEquals(List.of("x", "y"), names(saxpy.get("inputs")));
        assertEquals(List.of("out"), names(saxpy.get("outputs")));
        JsonNode alpha = saxpy.get("params").get(0);
        assertEquals("alpha", alpha.get("name").asText());
        assertEquals(1.0, alpha.get("default").asDouble());
        assertEquals("active", saxpy.get("state").asText());
        assertEquals("cpu", saxpy.get("backend").asText());
        assertEquals("opportunistic", saxpy.get("batching").get("mode").asText());
        assertEquals(1, saxpy.get("instances").size());
        assertTrue(saxpy.get("instances").get(0).get("counters").has("in_flight"), saxpy.toString());
    }

    @Test
    void optionalInputsAreMarkedSo() {
        JsonNode inputs = json(server.get("/api/kernels/layer_norm")).get("inputs");
        assertEquals(List.of("x", "gamma", "beta"), names(inputs));
        assertFalse(inputs.get(0).get("optional").asBoolean());
        assertTrue(inputs.get(1).get("optional").asBoolean());
        assertTrue(inputs.get(2).get("optional").asBoolean());
    }

    @Test
    void healthAnswersOk() {
        HttpResponse<String> response = server.get("/health");
        assertEquals(200, response.statusCode());
        assertEquals("ok", json(response).get("status").asText());
    }

    @Test
    void readinessIsOkWhenEveryKernelIsActive() {
        HttpResponse<String> response = server.get("/ready");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertTrue(body.get("ready").asBoolean());
        assertEquals("cpu", body.get("backend").asText());
        assertEquals(0, body.get("problems").size());
        assertEquals(0, body.get("notes").size(), "a CPU backend that was asked for is nothing to note");
        assertTrue(response.headers().firstValue("Retry-After").isEmpty());
    }

    @Test
    void withClusteringOffTheClusterIsNotFoundAndNoNodeIsNamed() {
        ApiAssertions.assertError(server.get("/api/cluster"), 404, "not_found",
                "clustering is off (ringkernel.cluster.enabled = off)");
        JsonNode square = json(server.get("/api/kernels/square"));
        assertFalse(square.get("instances").get(0).has("node"), square.toString());
    }

    @Test
    void aSaneRequestIdIsEchoed() {
        HttpResponse<String> response = server.send(server.request("/health").header("X-Request-Id", "trace-42.a_b").GET());
        assertEquals("trace-42.a_b", response.headers().firstValue("X-Request-Id").orElse(""));
    }

    @Test
    void anErrorAnswerCarriesTheRequestIdToo() {
        HttpResponse<String> response = server.send(server.request("/api/kernels/nope").header("X-Request-Id", "e-1").GET());
        assertEquals(404, response.statusCode());
        assertEquals("e-1", response.headers().firstValue("X-Request-Id").orElse(""));
    }

    @Test
    void anInsaneRequestIdIsReplacedByAGeneratedOne() {
        for (String insane : List.of("has spaces", "semi;colon", "x".repeat(65), "<script>")) {
            HttpResponse<String> response = server.send(server.request("/health").header("X-Request-Id", insane).GET());
            String id = response.headers().firstValue("X-Request-Id").orElse("");
            assertNotEquals(insane, id);
            assertTrue(id.matches("[A-Za-z0-9._-]{1,64}"), "a generated id, got '" + id + "'");
        }
    }

    @Test
    void aRequestWithoutIdGetsAFreshOne() {
        String first = server.get("/health").headers().firstValue("X-Request-Id").orElse("");
        String second = server.get("/health").headers().firstValue("X-Request-Id").orElse("");
        assertFalse(first.isBlank());
        assertNotEquals(first, second);
        for (String id : List.of(first, second)) {
            UUID uuid = UUID.fromString(id);
            assertEquals(id, uuid.toString());
            assertEquals(4, uuid.version(), id);
            assertEquals(2, uuid.variant(), id);
        }
    }

    private static List<String> names(JsonNode specs) {
        List<String> names = new ArrayList<>();
        specs.forEach(spec -> names.add(spec.get("name").asText()));
        return names;
    }
}
