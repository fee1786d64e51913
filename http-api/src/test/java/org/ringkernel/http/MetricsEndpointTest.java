package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.ringkernel.http.TestServer.awaitTrue;
import static org.ringkernel.http.TestServer.inKernel;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} on a real server: after a known number of answers of every outcome, each request
 * counter rose by exactly that number, every histogram agrees with itself, the text is strict Prometheus
 * exposition (parsed here, and by {@code promtool} where it is installed), and with telemetry off the
 * endpoint says so. Kamon hands the reporter a snapshot each tick (50 ms here), so the test polls the scrape
 * until the counts arrive.
 */
class MetricsEndpointTest {
    private static final String SQUARE = "{\"inputs\":[{\"data\":[1,2,3]}]}";
    private static final String BAD_SHAPES = "{\"inputs\":[{\"shape\":[3],\"data\":[1,2,3]},{\"shape\":[4],\"data\":[1,2,3,4]}]}";
    private static final String GATED = "{\"inputs\":[{\"data\":[1,-2]}]}";
    private static final Semaphore GATE = new Semaphore(0);
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start("""
                ringkernel {
                  kernels.start = [square, saxpy]
                  queue-capacity = 2
                  kernel.max-batch-size = 2
                  batching.max-batch-size = 2
                  max-wait-queue = 0
                  request-timeout = 1s
                  supervision.max-restarts = 0
                  supervision.watchdog-timeout = 60s
                  debug.fault-injection = on
                  telemetry.enabled = on
                }
                kamon.metric.tick-interval = 50ms
                """);
        server.kernels().register(GatedKernel.definition("gated", GATE));
        awaitTrue(() -> server.get("/ready").statusCode() == 200, "the kernels are active");
        // Kamon is one per JVM: what earlier tests' servers recorded after their last tick reaches the reporter at
        // this server's first tick. Once a scrape counts an earlier scrape, a tick has passed since, and the
        // counts of every test take their rise from there.
        Map<String, String> scrapes = Map.of("route", "/metrics", "method", "GET", "status", "200");
        double scraped = scrape().value("http_server_requests_total", scrapes);
        awaitTrue(() -> scrape().value("http_server_requests_total", scrapes) > scraped, "a tick after a first scrape");
    }

    @AfterAll
    static void stopServer() {
        GATE.release(1000);
        server.close();
    }

    @Test
    void everyOutcomeIsCountedExactlyOnceAndHistogramsAgree() throws Exception {
        PrometheusText before = scrape();
        Map<List<String>, Integer> expected = new LinkedHashMap<>();

        for (int i = 0; i < 5; i++) {
            assertEquals(200, server.postJson("/api/kernels/square/process", SQUARE).statusCode());
        }
        expected.put(List.of("square", "ok"), 5);
        for (int i = 0; i < 3; i++) {
            assertEquals(400, server.postJson("/api/kernels/saxpy/process", BAD_SHAPES).statusCode());
        }
        expected.put(List.of("saxpy", "invalid_input"), 3);

        // The gated kernel's ring holds two requests, which time out; the four sent meanwhile are refused.
        List<CompletableFuture<HttpResponse<String>>> held = List.of(sendGated(), sendGated());
        awaitTrue(() -> inKernel(server.kernels().kernel("gated")) == 2, "the ring holds two requests");
        List<CompletableFuture<HttpResponse<String>>> refused = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            refused.add(sendGated());
        }
        for (CompletableFuture<HttpResponse<String>> response : refused) {
            assertEquals(503, response.get(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS).statusCode());
        }
        for (CompletableFuture<HttpResponse<String>> response : held) {
            assertEquals(504, response.get(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS).statusCode());
        }
        GATE.release(1000);
        awaitTrue(() -> inKernel(server.kernels().kernel("gated")) == 0, "the gated kernel drained");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, sendGated().get(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS).statusCode());
        }
        expected.put(List.of("gated", "overloaded"), 4);
        expected.put(List.of("gated", "timeout"), 2);
        expected.put(List.of("gated", "ok"), 3);

        server.kernels().faults().failNextBatch("square", 0).toCompletableFuture()
                .get(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(500, server.postJson("/api/kernels/square/process", SQUARE).statusCode());
        for (int i = 0; i < 2; i++) {
            assertEquals(503, server.postJson("/api/kernels/square/process", SQUARE).statusCode());
        }
        expected.put(List.of("square", "kernel_failed"), 1);
        expected.put(List.of("square", "unavailable"), 2);

        awaitTrue(() -> risen(before, scrape(), expected), "the scrape shows every answer");
        PrometheusText after = scrape();
        for (String kernel : List.of("square", "saxpy", "gated")) {
            for (String outcome : List.of("ok", "invalid_input", "timeout", "overloaded", "kernel_failed", "unavailable")) {
                assertEquals(expected.getOrDefault(List.of(kernel, outcome), 0), (int) rise(before, after, kernel, outcome),
                        "ringkernel_requests_total of " + kernel + ", " + outcome);
            }
        }
        assertEquals(8, (int) (after.value("http_server_requests_total",
                Map.of("route", "/api/kernels/{id}/process", "method", "POST", "status", "200"))
                - before.value("http_server_requests_total",
                Map.of("route", "/api/kernels/{id}/process", "method", "POST", "status", "200"))),
                "HTTP requests answered 200 on the process route");

        for (String name : List.of("ringkernel_request_duration_seconds_bucket", "ringkernel_batch_size_bucket",
                "ringkernel_queue_depth", "ringkernel_inflight_requests", "ringkernel_ring_occupancy_ratio",
                "ringkernel_device_memory_bytes", "http_server_request_duration_seconds_bucket")) {
            assertTrue(after.has(name), name + " is in the scrape");
        }
        assertTrue(after.value("ringkernel_device_memory_bytes", Map.of("scope", "kernels", "state", "used")) > 0,
                "arena bytes in use");
        for (String stage : List.of("queue", "device", "total")) {
            assertTrue(after.value("ringkernel_request_duration_seconds_count", Map.of("kernel", "square", "stage", stage))
                    >= 5, "the square kernel's " + stage + " times");
        }
        for (String stage : List.of("publish", "device")) {
            assertTrue(after.value("ringkernel_batch_size_count", Map.of("kernel", "square", "stage", stage)) >= 1,
                    "the square kernel's batch sizes per " + stage);
        }
        checkHistograms(after);
    }

    /** Buckets cumulative, +Inf equal to the count, the sum within what the buckets allow; microsecond buckets. */
    private static void checkHistograms(PrometheusText scrape) {
        List<PrometheusText.Histogram> histograms = scrape.histograms();
        assertFalse(histograms.isEmpty());
        for (PrometheusText.Histogram histogram : histograms) {
            String what = histogram.family() + histogram.labels();
            double previous = 0;
            double lowest = 0;
            double bound = Double.NEGATIVE_INFINITY;
            Double highest = null;
            for (Map.Entry<Double, Double> bucket : histogram.buckets().entrySet()) {
                assertTrue(bucket.getValue() >= previous, what + ": buckets are cumulative at le=" + bucket.getKey());
                // What fell in (bound, le] is at least bound each, at most le each.
                lowest += (bucket.getValue() - previous) * Math.max(bound, 0);
                if (highest == null && bucket.getValue() == histogram.count()) {
                    highest = bucket.getKey() * histogram.count();
                }
                previous = bucket.getValue();
                bound = bucket.getKey();
            }
            assertEquals(Double.POSITIVE_INFINITY, histogram.buckets().lastKey(), what + " has a +Inf bucket");
            assertEquals(histogram.count(), histogram.buckets().lastEntry().getValue(), what + ": +Inf equals _count");
            assertTrue(histogram.sum() >= lowest * 0.99, what + ": _sum " + histogram.sum() + " below " + lowest);
            if (highest != null && !highest.isInfinite()) {
                assertTrue(histogram.sum() <= highest * 1.01, what + ": _sum " + histogram.sum() + " above " + highest);
            }
            if (histogram.family().equals("ringkernel_request_duration_seconds")) {
                assertTrue(histogram.buckets().firstKey() <= 0.00001, what + " resolves 10 microseconds");
            }
        }
    }

    @Test
    void theScrapeIsPrometheusTextWithItsContentType() {
        HttpResponse<String> response = server.get("/metrics");
        assertEquals(200, response.statusCode());
        String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(java.util.Locale.ROOT);
        assertTrue(type.startsWith("text/plain") && type.contains("version=0.0.4") && type.contains("charset=utf-8"),
                type);
        PrometheusText.parse(response.body());
    }

    @Test
    void promtoolFindsNoProblemInTheScrape() throws Exception {
        Path promtool = onPath("promtool");
        assumeTrue(promtool != null, "promtool is not on the PATH (install Debian's prometheus to run this check)");
        assertEquals(200, server.postJson("/api/kernels/saxpy/process",
                "{\"inputs\":[{\"data\":[1]},{\"data\":[2]}]}").statusCode());
        awaitTrue(() -> scrape().has("ringkernel_request_duration_seconds_bucket"), "a scrape with request times");
        String text = server.get("/metrics").body();
        // Kept for people to look at what a scrape shows.
        Files.writeString(Path.of("target", "metrics-scrape.txt"), text);
        Process process = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        process.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS), "promtool finished");
        assertEquals("", output.strip(), "promtool check metrics reports problems");
        assertEquals(0, process.exitValue(), output);
    }

    @Test
    void withTelemetryOffTheEndpointSaysSo() {
        try (TestServer off = TestServer.start("ringkernel.telemetry.enabled = off")) {
            HttpResponse<String> response = off.get("/metrics");
            assertEquals(404, response.statusCode());
            assertTrue(response.body().contains("ringkernel.telemetry.enabled = off"), response.body());
        }
    }

    private static CompletableFuture<HttpResponse<String>> sendGated() {
        return server.client().sendAsync(server.request("/api/kernels/gated/process")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(GATED)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static PrometheusText scrape() {
        HttpResponse<String> response = server.get("/metrics");
        assertEquals(200, response.statusCode(), response.body());
        return PrometheusText.parse(response.body());
    }

    private static double rise(PrometheusText before, PrometheusText after, String kernel, String outcome) {
        Map<String, String> labels = Map.of("kernel", kernel, "outcome", outcome);
        return after.value("ringkernel_requests_total", labels) - before.value("ringkernel_requests_total", labels);
    }

    private static boolean risen(PrometheusText before, PrometheusText after, Map<List<String>, Integer> expected) {
        return expected.entrySet().stream().allMatch(e -> rise(before, after, e.getKey().get(0), e.getKey().get(1))
                >= e.getValue());
    }

    private static Path onPath(String command) throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
