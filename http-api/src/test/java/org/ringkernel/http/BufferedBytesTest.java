package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.http.TestServer.WAIT;
import static org.ringkernel.http.TestServer.awaitTrue;
import static org.ringkernel.http.TestServer.inKernel;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.ringkernel.actors.KernelRef;

/**
 * {@code ringkernel.http.max-buffered-bytes} bounds the request bodies held at once, over all requests: a body
 * that would pass it is answered 503 with Retry-After, whether it came whole or in chunks, and what a request
 * held is given back once it is answered.
 */
class BufferedBytesTest {
    /** A valid request of about {@code bytes} bytes: one element padded with spaces. */
    private static String paddedRequest(int bytes) {
        return "{\"inputs\":[{\"data\":[2" + " ".repeat(bytes) + "]}]}";
    }

    @Test
    void aBodyBeyondTheBudgetIs503UntilTheBodiesHeldAreAnswered() throws Exception {
        Semaphore gate = new Semaphore(0);
        try (TestServer server = TestServer.start("""
                ringkernel {
                  request-timeout = 30s
                  supervision.watchdog-timeout = 60s
                  http { max-request-bytes = 4 KiB, max-line-bytes = 1 KiB, max-buffered-bytes = 6 KiB }
                }
                """)) {
            KernelRef gated = server.kernels().register(GatedKernel.definition("gated", gate));
            CompletableFuture<HttpResponse<String>> held = server.client().sendAsync(
                    server.request("/api/kernels/gated/process").header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(paddedRequest(3 * 1024))).build(),
                    HttpResponse.BodyHandlers.ofString());
            awaitTrue(() -> inKernel(gated) == 1, "the first body is held while its request is in the kernel");

            HttpResponse<String> whole = server.postJson("/api/kernels/gated/process", paddedRequest(3 * 1024));
            assertOverloaded(whole);
            byte[] chunked = paddedRequest(3 * 1024).getBytes(StandardCharsets.UTF_8);
            assertOverloaded(server.send(server.request("/api/kernels/gated/process")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(chunked)))));

            gate.release(100);
            assertEquals(200, held.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).statusCode());
            HttpResponse<String> after = server.postJson("/api/kernels/gated/process", paddedRequest(3 * 1024));
            assertEquals(200, after.statusCode(), "the first request gave its bytes back: " + after.body());
        } finally {
            gate.release(100);
        }
    }

    private static void assertOverloaded(HttpResponse<String> response) {
        assertEquals(503, response.statusCode(), response.body());
        assertEquals("overloaded", TestServer.json(response).get("error").get("code").asText());
        assertTrue(response.body().contains("ringkernel.http.max-buffered-bytes"), response.body());
        assertTrue(response.headers().firstValue("Retry-After").isPresent(), "a 503 says when to retry");
    }
}
