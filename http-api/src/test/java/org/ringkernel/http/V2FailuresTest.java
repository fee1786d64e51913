package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ringkernel.http.TestServer.awaitTrue;
import static org.ringkernel.http.TestServer.inKernel;
import static org.ringkernel.http.V2Assertions.assertV2Error;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.ringkernel.actors.KernelRef;

/**
 * The inference protocol's HTTP routes when a kernel cannot answer: 500 for a kernel failure, then 503 (with
 * {@code Retry-After}) from the model's and the server's readiness and for inference while the kernel is
 * unavailable; 503 for an overloaded model; 504 past the request's deadline. Each test starts a server of its own.
 */
class V2FailuresTest {
    private static final String GATED_REQUEST = "{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"FP32\","
            + "\"data\":[1,-2]}]}";

    @Test
    void aKernelFailureIs500ThenTheModelAndServerAreNotReady() throws Exception {
        try (TestServer server = TestServer.start("""
                ringkernel {
                  kernels.start = [square, echo]
                  debug.fault-injection = on
                  supervision.max-restarts = 0
                }
                """)) {
            awaitTrue(() -> server.get("/v2/health/ready").statusCode() == 200, "the kernels are active");
            assertEquals(200, server.get("/v2/models/square/ready").statusCode());
            server.kernels().faults().failNextBatch("square", 0).toCompletableFuture()
                    .get(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            String request = "{\"inputs\":[{\"name\":\"x\",\"shape\":[3],\"datatype\":\"FP32\",\"data\":[1,2,3]}]}";

            assertV2Error(server.postJson("/v2/models/square/infer", request), 500, "kernel 'square'", "injected fault");

            awaitTrue(() -> server.get("/v2/health/ready").statusCode() == 503, "the server reports it not ready");
            HttpResponse<String> serverReady = server.get("/v2/health/ready");
            assertEquals("{\"ready\":false}\n", serverReady.body());
            assertEquals("1", serverReady.headers().firstValue("Retry-After").orElse(""));
            HttpResponse<String> modelReady = server.get("/v2/models/square/ready");
            assertEquals(503, modelReady.statusCode(), modelReady.body());
            assertEquals("{\"name\":\"square\",\"ready\":false}\n", modelReady.body());

            HttpResponse<String> unavailable = server.postJson("/v2/models/square/infer", request);
            assertV2Error(unavailable, 503, "kernel 'square' instance 0 is unavailable");
            assertEquals("1", unavailable.headers().firstValue("Retry-After").orElse(""));

            assertEquals(200, server.get("/v2/models/echo/ready").statusCode(), "the other models are ready");
            assertEquals(200, server.postJson("/v2/models/echo/infer", request).statusCode());
            assertEquals(200, server.get("/v2/health/live").statusCode(), "the server itself is alive");
        }
    }

    @Test
    void requestsBeyondTheRingAndWaitQueueAre503WithRetryAfter() throws Exception {
        Semaphore gate = new Semaphore(0);
        try (TestServer server = TestServer.start("""
                ringkernel {
                  queue-capacity = 2
                  kernel.max-batch-size = 2
                  batching.max-batch-size = 2
                  max-wait-queue = 0
                  request-timeout = 30s
                  supervision.watchdog-timeout = 60s
                  http.retry-after = 3s
                }
                """)) {
            KernelRef gated = server.kernels().register(GatedKernel.definition("gated", gate));
            List<CompletableFuture<HttpResponse<String>>> held = List.of(send(server), send(server));
            awaitTrue(() -> inKernel(gated) == 2, "the ring holds two requests");

            List<CompletableFuture<HttpResponse<String>>> refused = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                refused.add(send(server));
            }
            for (CompletableFuture<HttpResponse<String>> response : refused) {
                HttpResponse<String> answer = response.get(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertV2Error(answer, 503, "kernel 'gated' is overloaded", "retry later");
                assertEquals("3", answer.headers().firstValue("Retry-After").orElse(""), answer.toString());
            }

            gate.release(1000);
            for (CompletableFuture<HttpResponse<String>> response : held) {
                HttpResponse<String> answer = response.get(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertEquals(200, answer.statusCode(), answer.body());
                assertEquals("[-1.0,2.0]", TestServer.json(answer).get("outputs").get(0).get("data").toString());
            }
        } finally {
            gate.release(1000);
        }
    }

    @Test
    void aRequestTheKernelHoldsPastTheDeadlineIs504() {
        Semaphore held = new Semaphore(0);
        try (TestServer server = TestServer.start("""
                ringkernel {
                  request-timeout = 300ms
                  supervision.watchdog-timeout = 60s
                }
                """)) {
            server.kernels().register(GatedKernel.definition("held", held));

            // The kernel's deadline or the route's own, whichever answers first on a busy machine.
            assertV2Error(server.postJson("/v2/models/held/infer", GATED_REQUEST), 504, "no result within ");
        } finally {
            held.release(1000);
        }
    }

    private static CompletableFuture<HttpResponse<String>> send(TestServer server) {
        return server.client().sendAsync(server.request("/v2/models/gated/infer")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(GATED_REQUEST))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
