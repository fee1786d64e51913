package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.http.TestServer.awaitTrue;
import static org.ringkernel.http.TestServer.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/status}, which the status page polls, reports what the kernel actors counted and measured,
 * and {@code GET /} and {@code /status} serve the page itself from the jar.
 */
class StatusApiTest {
    private static final String REQUEST = "{\"inputs\":[{\"data\":[1,2,3]}]}";
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start("""
                ringkernel {
                  kernels.start = [square, echo]
                  debug.fault-injection = on
                }
                """);
        awaitTrue(() -> server.get("/ready").statusCode() == 200, "the kernels are active");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void thePageIsServedFromTheJarAndFetchesNothingFromElsewhere() {
        HttpResponse<String> root = server.get("/");
        HttpResponse<String> status = server.get("/status");

        assertEquals(200, root.statusCode());
        assertEquals("text/html; charset=UTF-8", root.headers().firstValue("Content-Type").orElse(""));
        assertEquals(root.body(), status.body());
        assertTrue(root.body().contains("fetch(\"api/status\""), "the page polls the status endpoint");
        assertFalse(root.body().contains("http://") || root.body().contains("https://"),
                "the page names no other server");
        assertFalse(root.body().contains("innerHTML"), "data never goes into the page as markup");
    }

    @Test
    void statusReportsEachKernelsCountsLatencyAndItsLastFailureWithItsTime() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertEquals(200, server.postJson("/api/kernels/square/process", REQUEST).statusCode());
        }
        awaitTrue(() -> kernel(status(), "square").get("answered").asLong() == 20, "square's 20 answers are reported");

        JsonNode status = status();
        assertEquals("cpu", status.get("backend").asText());
        assertFalse(status.get("device").asText().isBlank(), status.toString());
        assertTrue(status.get("cluster").isNull(), "no cluster to show with clustering off");
        JsonNode square = kernel(status, "square");
        assertEquals("active", square.get("state").asText());
        assertEquals(1, square.get("instances").asInt());
        assertEquals(1, square.get("active").asInt());
        assertEquals(20, square.get("received").asLong());
        assertEquals(20, square.get("succeeded").asLong());
        assertEquals(0, square.get("failed").asLong());
        assertEquals(20, square.get("latency_samples").asInt());
        assertTrue(square.get("p50_us").asDouble() > 0, square.toString());
        assertTrue(square.get("p50_us").asDouble() <= square.get("p99_us").asDouble(), square.toString());
        assertEquals(1.0, square.get("mean_batch").asDouble(), "one request at a time makes batches of one");
        assertEquals(1, square.get("last_batch").asInt());
        assertEquals(0, square.get("waiting").asInt());
        assertEquals(0, square.get("in_flight").asInt());
        assertEquals(0, square.get("restarts").asInt());
        assertTrue(square.get("last_failure").isNull(), square.toString());
        JsonNode echo = kernel(status, "echo");
        assertEquals(0, echo.get("answered").asLong());
        assertTrue(echo.get("p50_us").isNull(), "no latency before the first answer: " + echo);

        Instant before = Instant.now();
        server.kernels().faults().failNextBatch("square", 0).toCompletableFuture()
                .get(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(500, server.postJson("/api/kernels/square/process", REQUEST).statusCode());
        awaitTrue(() -> !kernel(status(), "square").get("last_failure").isNull(), "square's failure is reported");
        Instant after = Instant.now();

        JsonNode failed = kernel(status(), "square");
        JsonNode failure = failed.get("last_failure");
        assertTrue(failure.get("reason").asText().contains("injected fault"), failure.toString());
        assertEquals(0, failure.get("instance").asInt());
        Instant at = Instant.parse(failure.get("at").asText());
        assertFalse(at.isBefore(before) || at.isAfter(after), at + " lies between " + before + " and " + after);
        assertEquals(1, failed.get("restarts").asInt());
        assertEquals(1, failed.get("failed").asLong());
        assertEquals(21, failed.get("answered").asLong());
        assertEquals(at.toString(), failed.get("per_instance").get(0).get("last_failure_at").asText());
    }

    private static JsonNode status() {
        HttpResponse<String> response = server.get("/api/status");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
        return json(response);
    }

    static JsonNode kernel(JsonNode status, String id) {
        for (JsonNode kernel : status.get("kernels")) {
            if (kernel.get("id").asText().equals(id)) {
                return kernel;
            }
        }
        throw new AssertionError("no kernel '" + id + "' in " + status);
    }
}
