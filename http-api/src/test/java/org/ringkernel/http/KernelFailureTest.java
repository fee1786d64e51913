package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.http.ApiAssertions.assertError;
import static org.ringkernel.http.TestServer.awaitTrue;
import static org.ringkernel.http.TestServer.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A kernel that fails: 500 {@code kernel_failed} for the request in flight and, with no restarts allowed,
 * 503 {@code unavailable} with {@code Retry-After} for the next ones and from {@code /ready}, which names it.
 */
class KernelFailureTest {
    private static final String REQUEST = "{\"inputs\":[{\"data\":[1,2,3]}]}";
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start("""
                ringkernel {
                  kernels.start = [square, echo]
                  debug.fault-injection = on
                  supervision.max-restarts = 0
                }
                """);
        awaitTrue(() -> server.get("/ready").statusCode() == 200, "the kernels are active");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void aFailedBatchIs500ThenTheKernelIsUnavailableAndNotReady() throws Exception {
        server.kernels().faults().failNextBatch("square", 0).toCompletableFuture()
                .get(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);

        assertError(server.postJson("/api/kernels/square/process", REQUEST), 500, "kernel_failed",
                "kernel 'square'", "injected fault");

        awaitTrue(() -> server.get("/ready").statusCode() == 503, "readiness reports the failed kernel");
        HttpResponse<String> ready = server.get("/ready");
        assertEquals("1", ready.headers().firstValue("Retry-After").orElse(""));
        JsonNode body = json(ready);
        assertFalse(body.get("ready").asBoolean());
        assertEquals(1, body.get("problems").size(), body.toString());
        assertTrue(body.get("problems").get(0).asText().startsWith("kernel 'square' is unavailable"), body.toString());

        HttpResponse<String> unavailable = server.postJson("/api/kernels/square/process", REQUEST);
        assertError(unavailable, 503, "unavailable", "kernel 'square' instance 0 is unavailable");
        assertEquals("1", unavailable.headers().firstValue("Retry-After").orElse(""));

        assertEquals(200, server.postJson("/api/kernels/echo/process", REQUEST).statusCode(),
                "the other kernels still answer");
        assertEquals(200, server.get("/health").statusCode(), "the server itself is alive");
    }
}
