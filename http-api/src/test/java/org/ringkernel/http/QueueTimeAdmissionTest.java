package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.http.ApiAssertions.assertError;
import static org.ringkernel.http.TestServer.awaitTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 503 with {@code Retry-After} when a request's expected wait passes {@code ringkernel.max-queue-time}: a kernel
 * that takes at least 50 ms a request (one per batch) is measured on its first requests (a new instance's first
 * three arrivals of completions are its warm-up, the fourth is measured), then held shut; of ten
 * requests, the four that fill the ring are taken and those that find it full, with 200 ms or more of work
 * ahead, are refused at once, naming the wait and the budget's key,
 * and the others are served once the kernel runs.
 */
class QueueTimeAdmissionTest {
    private static final String REQUEST = "{\"inputs\":[{\"data\":[1,-2]}]}";
    private static final Semaphore GATE = new Semaphore(0);
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start("""
                ringkernel {
                  queue-capacity = 4
                  kernel.max-batch-size = 1
                  batching.max-batch-size = 1
                  batching.mode = off
                  max-queue-time = 200ms
                  request-timeout = 30s
                  supervision.watchdog-timeout = 60s
                  http.retry-after = 2s
                }
                """);
        server.kernels().register(SlowGatedKernel.definition("slow", GATE, Duration.ofMillis(50)));
    }

    @AfterAll
    static void stopServer() {
        GATE.release(1000);
        server.close();
    }

    private static CompletableFuture<HttpResponse<String>> send() {
        return server.client().sendAsync(server.request("/api/kernels/slow/process")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(REQUEST)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void requestsExpectedToWaitPastTheBudgetAre503AtOnceAndTheOthersServed() throws Exception {
        for (int i = 0; i < 4; i++) {
            GATE.release(1);
            assertEquals(200, send().get(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS).statusCode(),
                    "the first requests warm the kernel up and measure it");
        }

        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sent.add(send());
        }
        // The gate is shut, so the kernel finishes nothing: whatever is answered now was refused at once.
        awaitTrue(() -> sent.stream().filter(CompletableFuture::isDone).count() >= 5, "five requests are refused");
        for (CompletableFuture<HttpResponse<String>> response : sent) {
            if (response.isDone()) {
                HttpResponse<String> answer = response.get();
                assertError(answer, 503, "overloaded", "kernel 'slow' is overloaded: a new request would wait about ",
                        "over the queue-time budget ringkernel.max-queue-time of 200 ms", "retry later");
                assertEquals("2", answer.headers().firstValue("Retry-After").orElse(""), answer.toString());
            }
        }
        assertEquals(0, GATE.availablePermits());

        GATE.release(1000);
        int served = 0;
        for (CompletableFuture<HttpResponse<String>> response : sent) {
            int status = response.get(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS).statusCode();
            served += status == 200 ? 1 : 0;
            assertTrue(status == 200 || status == 503, "status " + status);
        }
        assertTrue(served >= 4, "the four in the ring are served, served " + served);
    }
}
