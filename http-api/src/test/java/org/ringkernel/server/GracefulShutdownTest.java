package org.ringkernel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.http.TestServer.WAIT;
import static org.ringkernel.http.TestServer.awaitTrue;
import static org.ringkernel.http.TestServer.inKernel;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.junit.jupiter.api.Test;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.http.GatedKernel;
import org.ringkernel.http.RawConnection;
import org.ringkernel.http.TestServer;

/**
 * Stopping as on SIGTERM: the server refuses new connections at once, lets the request in flight finish and
 * answer, then stops.
 */
class GracefulShutdownTest {
    private static final String REQUEST = "{\"inputs\":[{\"data\":[2,-3]}]}";
    private static final Duration PROBE_PATIENCE = Duration.ofMillis(500);
    private static final String GATED = """
            ringkernel {
              request-timeout = 30s
              supervision.watchdog-timeout = 60s
            }
            """;

    /**
     * The held request must not only be answered by the route but reach the client: its response has to leave
     * the socket before the actor system stops.
     */
    @Test
    void aRequestInFlightCompletesWhileNewConnectionsAreRefused() throws Exception {
        Semaphore gate = new Semaphore(0);
        TestServer server = TestServer.start(GATED);
        try {
            KernelRef gated = server.kernels().register(GatedKernel.definition("gated", gate));
            CompletableFuture<HttpResponse<String>> held = server.client().sendAsync(
                    server.request("/api/kernels/gated/process").header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(REQUEST)).build(),
                    HttpResponse.BodyHandlers.ofString());
            awaitTrue(() -> inKernel(gated) == 1, "the request is held in the kernel");

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> server.running().stop());
            URI health = server.uri("/health");
            awaitTrue(() -> connectionRefused(health), "a new connection is refused");
            assertFalse(held.isDone(), "the request in flight is still waiting for its kernel");

            gate.release(100);
            HttpResponse<String> response = held.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("[-2.0,3.0]", TestServer.json(response).get("outputs").get(0).get("data").toString());

            awaitStopped(stopping, server);
        } finally {
            gate.release(100);
            server.close();
        }
    }

    /**
     * While the server drains, a response in progress still goes out whole, with {@code Connection: close}; a
     * request that arrives on a connection left open (kept alive) is answered 503 before the connection closes,
     * not reset; the readiness probe says the server is going away.
     */
    @Test
    void whileDrainingResponsesCloseTheirConnectionAndNewRequestsOnOpenConnectionsGet503() throws Exception {
        Semaphore gate = new Semaphore(0);
        TestServer server = TestServer.start(GATED + "ringkernel.kernels.start = [square]");
        try (RawConnection held = RawConnection.open(server);
             RawConnection idle = RawConnection.open(server)) {
            KernelRef gated = server.kernels().register(GatedKernel.definition("gated", gate));
            assertEquals(200, idle.get("/health").read().status(), "a kept-alive connection, idle from now on");
            held.postJson("/api/kernels/gated/process", REQUEST);
            awaitTrue(() -> inKernel(gated) == 1, "the request is held in the kernel");

            CompletableFuture<Void> stopping = beginShutdown(server);

            RawConnection.Response refused = idle.postJson("/api/kernels/square/process", REQUEST).read();
            assertEquals(503, refused.status(), refused.body());
            assertTrue(refused.closes(), "the 503 closes its connection");
            assertTrue(refused.header("retry-after").isPresent(), "the 503 says when to retry");
            assertEquals("unavailable", TestServer.json(refused.body()).get("error").get("code").asText());
            assertTrue(idle.closedByServer(), "the connection closes after the 503");

            gate.release(100);
            RawConnection.Response answered = held.read();
            assertEquals(200, answered.status(), answered.body());
            assertTrue(answered.closes(), "a response during the drain closes its connection");
            assertEquals("[-2.0,3.0]", TestServer.json(answered.body()).get("outputs").get(0).get("data").toString());
            assertTrue(held.closedByServer(), "and the connection then closes");

            awaitStopped(stopping, server);
        } finally {
            gate.release(100);
            server.close();
        }
    }

    /**
     * A stream in flight when the shutdown begins answers the lines it took, reads the rest of its request
     * without running it, and ends with an error line that names the lines it did not run.
     */
    @Test
    void aStreamInFlightAnswersWhatItTookAndNamesTheLinesItDidNotRun() throws Exception {
        Semaphore gate = new Semaphore(0);
        TestServer server = TestServer.start(GATED);
        try (RawConnection stream = RawConnection.open(server)) {
            KernelRef gated = server.kernels().register(GatedKernel.definition("gated", gate));
            stream.send("POST /api/kernels/gated/stream HTTP/1.1\r\nHost: test\r\n"
                    + "Content-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n");
            stream.send(chunk("{\"inputs\":[{\"data\":[1]}]}\n{\"inputs\":[{\"data\":[2]}]}\n"));
            awaitTrue(() -> inKernel(gated) == 2, "the first two lines are in the kernel");

            CompletableFuture<Void> stopping = beginShutdown(server);
            stream.send(chunk("{\"inputs\":[{\"data\":[3]}]}\n{\"inputs\":[{\"data\":[4]}]}\n")).send("0\r\n\r\n");
            gate.release(100);

            RawConnection.Response response = stream.read();
            assertEquals(200, response.status());
            List<String> lines = response.body().lines().toList();
            assertEquals(3, lines.size(), response.body());
            assertEquals("[-1.0]", TestServer.json(lines.get(0)).get("outputs").get(0).get("data").toString());
            assertEquals("[-2.0]", TestServer.json(lines.get(1)).get("outputs").get(0).get("data").toString());
            JsonNode last = TestServer.json(lines.get(2)).get("error");
            assertEquals("unavailable", last.get("code").asText());
            assertTrue(last.get("message").asText().contains("lines 3 to 4 were not run"), last.toString());

            awaitStopped(stopping, server);
        } finally {
            gate.release(100);
            server.close();
        }
    }

    private static void awaitStopped(CompletableFuture<Void> stopping, TestServer server) throws Exception {
        stopping.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        server.running().system().getWhenTerminated().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the server as SIGTERM does, returning once its drain has begun (its readiness probe says so). */
    private static CompletableFuture<Void> beginShutdown(TestServer server) {
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> server.running().stop());
        URI ready = URI.create(server.running().managementUrl().orElseThrow() + "/ready");
        awaitTrue(() -> server.send(server.request("/ready").uri(ready).GET()).statusCode() == 503,
                "the readiness probe reports the shutdown");
        return stopping;
    }

    private static String chunk(String text) {
        return Integer.toHexString(text.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + text + "\r\n";
    }

    /**
     * Pekko gives each coordinated-shutdown phase {@code default-phase-timeout} (5 s) unless configured; the
     * phase that waits for requests in flight must allow the whole {@code ringkernel.http.shutdown-deadline},
     * or a request that needs longer than the phase is cut off before the deadline the operator set.
     */
    @Test
    void theShutdownPhaseThatWaitsForRequestsAllowsTheWholeShutdownDeadline() {
        try (TestServer server = TestServer.start("ringkernel.http.shutdown-deadline = 10s")) {
            Duration deadline = server.running().settings().http().shutdownDeadline();
            long phaseMillis = CoordinatedShutdown.get(server.running().system())
                    .timeout(CoordinatedShutdown.PhaseServiceRequestsDone()).toMillis();
            assertTrue(phaseMillis >= deadline.toMillis(), "the phase " + CoordinatedShutdown.PhaseServiceRequestsDone()
                    + " times out after " + phaseMillis + " ms, before the shutdown deadline of " + deadline.toMillis()
                    + " ms");
        }
    }

    /**
     * Whether a new connection (a fresh client, so no pooled one) to {@code uri} is refused. A connection the
     * server accepted just as it unbound may never be answered, so one attempt gives up early and the caller
     * tries again.
     */
    private static boolean connectionRefused(URI uri) {
        HttpClient fresh = TestServer.newClient();
        try {
            fresh.send(HttpRequest.newBuilder(uri).timeout(PROBE_PATIENCE).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return false;
        } catch (ConnectException refused) {
            return true;
        } catch (IOException notRefused) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
