package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ringkernel.http.ApiAssertions.assertError;
import static org.ringkernel.http.TestServer.awaitTrue;
import static org.ringkernel.http.TestServer.inKernel;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ringkernel.actors.KernelRef;

/**
 * 503 with {@code Retry-After} when a kernel's ring and wait queue are full: a gated kernel with a ring of two
 * and no wait queue holds two requests, and every request beyond them is refused at once.
 */
class OverloadTest {
    private static final String REQUEST = "{\"inputs\":[{\"data\":[1,-2]}]}";
    private static final Semaphore GATE = new Semaphore(0);
    private static TestServer server;
    private static KernelRef gated;

    @BeforeAll
    static void startServer() {
        server = TestServer.start("""
                ringkernel {
                  queue-capacity = 2
                  kernel.max-batch-size = 2
                  batching.max-batch-size = 2
                  max-wait-queue = 0
                  request-timeout = 30s
                  supervision.watchdog-timeout = 60s
                  http.retry-after = 3s
                }
                """);
        gated = server.kernels().register(GatedKernel.definition("gated", GATE));
    }

    @AfterAll
    static void stopServer() {
        GATE.release(1000);
        server.close();
    }

    private static CompletableFuture<HttpResponse<String>> send() {
        return server.client().sendAsync(server.request("/api/kernels/gated/process")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(REQUEST)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void requestsBeyondTheRingAndWaitQueueAre503WithRetryAfter() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> held = List.of(send(), send());
        awaitTrue(() -> inKernel(gated) == 2, "the ring holds two requests");

        List<CompletableFuture<HttpResponse<String>>> refused = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            refused.add(send());
        }
        for (CompletableFuture<HttpResponse<String>> response : refused) {
            HttpResponse<String> answer = response.get(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertError(answer, 503, "overloaded", "kernel 'gated' is overloaded", "retry later");
            assertEquals("3", answer.headers().firstValue("Retry-After").orElse(""), answer.toString());
        }

        GATE.release(1000);
        for (CompletableFuture<HttpResponse<String>> response : held) {
            HttpResponse<String> answer = response.get(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals("[-1.0,2.0]", TestServer.json(answer).get("outputs").get(0).get("data").toString());
        }
        assertEquals(200, server.postJson("/api/kernels/gated/process", REQUEST).statusCode(),
                "a request after the overload is computed");
    }
}
