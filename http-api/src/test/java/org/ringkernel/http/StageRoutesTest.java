package org.ringkernel.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.handleExceptions;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link StageRoutes#onComplete} on a real server: where its inner route runs, what failure it sees, and that what
 * the inner route throws reaches the exception handler around it.
 */
class StageRoutesTest {
    private static ActorSystem<Void> system;
    private static ServerBinding binding;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    /** Completed by the test from a thread of its own, once the route waits for it. */
    private static volatile CompletableFuture<String> pending;
    private static volatile CountDownLatch waiting;

    @BeforeAll
    static void start() throws Exception {
        system = ActorSystem.create(Behaviors.empty(), "stage-routes");
        ExceptionHandler handler = ExceptionHandler.newBuilder()
                .match(IllegalStateException.class, e -> complete(StatusCodes.IM_A_TEAPOT, "handled: " + e.getMessage()))
                .build();
        Route route = handleExceptions(handler, () -> concat(
                path("pending", () -> {
                    CompletableFuture<String> stage = new CompletableFuture<>();
                    pending = stage;
                    waiting.countDown();
                    return StageRoutes.onComplete(stage, outcome -> complete(outcome.isSuccess()
                            ? outcome.get() + " on " + Thread.currentThread().getName()
                            : "failed with " + outcome.failed().get()));
                }),
                path("done", () -> StageRoutes.onComplete(CompletableFuture.completedFuture("ready"),
                        outcome -> complete(outcome.get()))),
                path("throws", () -> StageRoutes.onComplete(CompletableFuture.completedFuture("ready"), outcome -> {
                    throw new IllegalStateException("inner route refused " + outcome.get());
                }))));
        binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(route).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theInnerRouteRunsOnTheThreadThatCompletesTheStage() throws Exception {
        CompletableFuture<HttpResponse<String>> response = sendWhilePending();
        Thread completer = new Thread(() -> pending.complete("42"), "the-completing-thread");
        completer.start();
        completer.join();
        assertEquals("42 on the-completing-thread", response.get(10, TimeUnit.SECONDS).body());
    }

    @Test
    void aFailureReachesTheInnerRouteWithoutItsCompletionExceptionWrapper() throws Exception {
        CompletableFuture<HttpResponse<String>> response = sendWhilePending();
        pending.completeExceptionally(new CompletionException(new IllegalArgumentException("no such kernel")));
        assertEquals("failed with java.lang.IllegalArgumentException: no such kernel",
                response.get(10, TimeUnit.SECONDS).body());
    }

    @Test
    void aStageCompleteAlreadyIsAnsweredAtOnce() throws Exception {
        HttpResponse<String> response = CLIENT.send(request("done"), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals("ready", response.body());
    }

    @Test
    void whatTheInnerRouteThrowsReachesTheExceptionHandler() throws Exception {
        HttpResponse<String> response = CLIENT.send(request("throws"), HttpResponse.BodyHandlers.ofString());
        assertEquals(418, response.statusCode());
        assertEquals("handled: inner route refused ready", response.body());
    }

    private static CompletableFuture<HttpResponse<String>> sendWhilePending() throws InterruptedException {
        waiting = new CountDownLatch(1);
        CompletableFuture<HttpResponse<String>> response = CLIENT.sendAsync(request("pending"),
                HttpResponse.BodyHandlers.ofString());
        if (!waiting.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the route never ran");
        }
        return response;
    }

    private static HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + "/" + path))
                .build();
    }
}
