package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.ringkernel.http.StatusApiTest.kernel;
import static org.ringkernel.http.TestServer.awaitTrue;
import static org.ringkernel.http.TestServer.json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page as an operator sees it: a real headless Chromium loads it from a server under load, and the
 * DOM its script built shows every kernel with a rising count of answered requests, then a kernel's failure
 * with its time and reason. A screenshot is left in {@code target/status-page.png}.
 */
class StatusPageBrowserTest {
    private static final List<String> KERNELS = List.of("square", "echo", "stats", "softmax");
    private static final String REQUEST = "{\"inputs\":[{\"data\":[1,2,3]}]}";
    private static final int VIRTUAL_MILLIS = 3_000;
    private static final Pattern ROW = Pattern.compile("<tr data-kernel=\"([^\"]+)\"[^>]*>(.*?)</tr>", Pattern.DOTALL);
    private static final Pattern ANSWERED = Pattern.compile("data-field=\"answered\">([0-9,]+) answered<");
    private static final Pattern RATE = Pattern.compile("data-field=\"rate\">([0-9,.]+)<");
    private static final Pattern RESTARTS = Pattern.compile("data-field=\"restarts\"[^>]*>(\\d+)<");

    @TempDir
    Path workDir;

    @Test
    void thePageShowsEveryKernelWithRisingCountsAndThenAFailure() throws Exception {
        Optional<HeadlessChromium> found = HeadlessChromium.find(workDir);
        assumeTrue(found.isPresent(), "no chromium on the PATH: the status page is not checked in a browser"
                + " (Debian: apt-get install chromium)");
        HeadlessChromium chromium = found.get();
        try (TestServer server = TestServer.start("""
                ringkernel {
                  kernels.start = [square, echo, stats, softmax]
                  debug.fault-injection = on
                }
                """); Load load = new Load(server)) {
            awaitTrue(() -> KERNELS.stream().allMatch(id -> answered(server, id) > 0), "every kernel answered",
                    Duration.ofMillis(50));

            Map<String, String> first = rows(chromium.dumpDom(server.uri("/"), VIRTUAL_MILLIS));
            assertEquals(KERNELS.stream().sorted().toList(), List.copyOf(first.keySet()),
                    "one row per started kernel, by id");
            Map<String, Long> before = answeredIn(first);
            awaitTrue(() -> KERNELS.stream().allMatch(id -> answered(server, id) > before.get(id)
                    && kernel(json(server.get("/api/status")), id).get("answered_per_s").asDouble() > 0),
                    "every kernel answered more than the page showed, at a measured rate", Duration.ofMillis(50));
            String secondDom = chromium.dumpDom(server.uri("/status"), VIRTUAL_MILLIS);
            Map<String, String> second = rows(secondDom);
            Map<String, Long> after = answeredIn(second);
            for (String id : KERNELS) {
                assertTrue(after.get(id) > before.get(id), id + ": " + before.get(id) + " then " + after.get(id));
                Matcher rate = RATE.matcher(second.get(id));
                assertTrue(rate.find() && Double.parseDouble(rate.group(1).replace(",", "")) > 0,
                        id + " shows its requests per second: " + second.get(id));
            }
            assertTrue(secondDom.contains("<b id=\"backend\">cpu</b>"), "the header names the backend");

            server.kernels().faults().failNextBatch("echo", 0).toCompletableFuture()
                    .get(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            awaitTrue(() -> !kernel(json(server.get("/api/status")), "echo").get("last_failure").isNull(),
                    "echo's failure is reported", Duration.ofMillis(50));

            Map<String, String> failed = rows(chromium.dumpDom(server.uri("/"), VIRTUAL_MILLIS));
            String echo = failed.get("echo");
            assertTrue(echo.contains("data-field=\"last_failure_at\""), "the failure's time is shown: " + echo);
            assertTrue(echo.matches("(?s).*data-field=\"last_failure_reason\">[^<]*injected fault[^<]*<.*"),
                    "the failure's reason is shown: " + echo);
            assertTrue(echo.contains("class=\"failure recent\""), "a recent failure is marked: " + echo);
            assertEquals(1, restarts(echo));
            for (String id : List.of("square", "stats", "softmax")) {
                assertTrue(failed.get(id).contains("data-field=\"last_failure\">none<"), id + ": " + failed.get(id));
                assertEquals(0, restarts(failed.get(id)));
            }

            Path png = Path.of("target", "status-page.png");
            Files.createDirectories(png.getParent());
            Files.deleteIfExists(png);
            chromium.screenshot(server.uri("/"), VIRTUAL_MILLIS, png, 1400, 900);
            assertTrue(Files.size(png) > 0, "the screenshot has content");
        }
    }

    private static long answered(TestServer server, String id) {
        return kernel(json(server.get("/api/status")), id).get("answered").asLong();
    }

    /** Each kernel row of the page's table, by kernel id, in the page's order. */
    private static Map<String, String> rows(String dom) {
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher row = ROW.matcher(dom);
        while (row.find()) {
            rows.put(row.group(1), row.group(2));
        }
        return rows;
    }

    private static Map<String, Long> answeredIn(Map<String, String> rows) {
        Map<String, Long> answered = new LinkedHashMap<>();
        rows.forEach((id, row) -> {
            Matcher count = ANSWERED.matcher(row);
            assertTrue(count.find(), "kernel " + id + " shows how many requests it answered: " + row);
            answered.put(id, Long.parseLong(count.group(1).replace(",", "")));
        });
        return answered;
    }

    private static int restarts(String row) {
        Matcher restarts = RESTARTS.matcher(row);
        assertTrue(restarts.find(), "the row shows restarts: " + row);
        return Integer.parseInt(restarts.group(1));
    }

    /** Requests to every kernel in turn from a background thread until closed; an error answer (the injected fault) is expected. */
    private static final class Load implements AutoCloseable {
        private final Thread thread;
        private volatile boolean running = true;

        Load(TestServer server) {
            thread = new Thread(() -> {
                while (running) {
                    for (String id : KERNELS) {
                        server.postJson("/api/kernels/" + id + "/process", REQUEST);
                    }
                }
            }, "status-page-load");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(TestServer.WAIT.toMillis());
            assertTrue(!thread.isAlive(), "the load thread stopped");
        }
    }
}
