package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.http.TestServer.awaitTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring files in {@code conf/} against a running server: every metric the Grafana dashboard queries
 * exists in a real scrape, and Debian's {@code prometheus}, run with {@code conf/prometheus/prometheus.yml}
 * pointed at the server, scrapes it without an error.
 */
class MonitoringConfigTest {
    private static final Path CONF = Path.of("..", "conf");
    private static final Path DASHBOARD = CONF.resolve("grafana/ringkernel-dashboard.json");
    private static final Path PROMETHEUS_CONFIG = CONF.resolve("prometheus/prometheus.yml");
    private static final Pattern METRIC = Pattern.compile("\\b(ringkernel_[a-z0-9_]+|http_[a-z0-9_]+)\\b");
    private static final String REQUEST = "{\"inputs\":[{\"data\":[1,2,3]}]}";
    private static TestServer server;

    @BeforeAll
    static void startServerAndMakeEveryMetricMove() throws Exception {
        server = TestServer.start("""
                ringkernel {
                  kernels.start = [square, echo]
                  debug.fault-injection = on
                }
                kamon.metric.tick-interval = 50ms
                """);
        awaitTrue(() -> server.get("/ready").statusCode() == 200, "the kernels are active");
        for (int i = 0; i < 20; i++) {
            assertEquals(200, server.postJson("/api/kernels/square/process", REQUEST).statusCode());
        }
        assertEquals(400, server.postJson("/api/kernels/square/process", "{\"inputs\":[]}").statusCode());
        server.kernels().faults().failNextBatch("echo", 0).toCompletableFuture()
                .get(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        server.postJson("/api/kernels/echo/process", REQUEST);
        server.kernels().faults().failDevice("a test restarts the device").toCompletableFuture()
                .get(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        awaitTrue(() -> server.get("/ready").statusCode() == 200, "the kernels are active again");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyMetricTheDashboardQueriesExistsInAScrape() throws IOException {
        Set<String> queried = queriedMetrics();
        assertTrue(queried.contains("ringkernel_requests_total"), "the dashboard queries requests: " + queried);

        Set<String> missing = new TreeSet<>(queried);
        awaitTrue(() -> {
            missing.removeAll(scrapedSeries());
            return missing.isEmpty();
        }, "every metric the dashboard queries in the scrape", Duration.ofMillis(200));
    }

    @Test
    void prometheusScrapesTheServerWithTheShippedConfig(@TempDir Path work) throws Exception {
        Assumptions.assumeTrue(onPath("prometheus"), "Debian's prometheus is not installed (.ci/run installs it)");
        int port = freePort();
        String target = server.uri("").getHost() + ":" + server.uri("").getPort();
        Path config = work.resolve("prometheus.yml");
        String shipped = Files.readString(PROMETHEUS_CONFIG);
        assertTrue(shipped.contains("\"127.0.0.1:8080\""), "the shipped config targets the default port");
        Files.writeString(config, shipped.replace("\"127.0.0.1:8080\"", "\"" + target + "\""));
        Process prometheus = new ProcessBuilder("prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + work.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
        try {
            URI targets = URI.create("http://127.0.0.1:" + port + "/api/v1/targets");
            JsonNode[] scraped = new JsonNode[1];
            awaitTrue(() -> {
                scraped[0] = activeTarget(targets);
                return scraped[0] != null && !scraped[0].path("lastScrape").asText().startsWith("0001-");
            }, "prometheus scraped the server", Duration.ofMillis(250));
            assertEquals("up", scraped[0].path("health").asText(), scraped[0].toString());
            assertEquals("", scraped[0].path("lastError").asText(), scraped[0].toString());
        } finally {
            prometheus.destroy();
            prometheus.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The metric names in the dashboard's query expressions. */
    private static Set<String> queriedMetrics() throws IOException {
        JsonNode dashboard = TestServer.JSON.readTree(Files.readString(DASHBOARD, StandardCharsets.UTF_8));
        Set<String> names = new TreeSet<>();
        for (JsonNode expr : dashboard.findValues("expr")) {
            Matcher metric = METRIC.matcher(expr.asText());
            while (metric.find()) {
                names.add(metric.group(1));
            }
        }
        return names;
    }

    /** The series names of a scrape of {@code /metrics}. */
    private static Set<String> scrapedSeries() {
        HttpResponse<String> scrape = server.get("/metrics");
        assertEquals(200, scrape.statusCode(), scrape.body());
        Set<String> names = new TreeSet<>();
        scrape.body().lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
        return names;
    }

    private static JsonNode activeTarget(URI targets) {
        try {
            HttpResponse<String> response = server.client().send(HttpRequest.newBuilder(targets)
                    .timeout(TestServer.WAIT).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode active = TestServer.json(response).path("data").path("activeTargets");
            return active.size() == 1 ? active.get(0) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
