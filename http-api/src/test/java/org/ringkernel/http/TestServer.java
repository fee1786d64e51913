package org.ringkernel.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.ringkernel.actors.InstanceStatus;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.server.RingKernelServer;
import org.ringkernel.server.config.ServerConfig;
import org.ringkernel.server.config.ServerSettings;

/**
 * A real server started in-process on 127.0.0.1 and a free port, with a JDK {@link HttpClient} in front of
 * it. Each test configuration is HOCON over these defaults and the modules' reference.conf, read and checked
 * by {@link ServerConfig#validate} as the server's main does.
 */
public final class TestServer implements AutoCloseable {
    /** How long any wait in these tests may take before it counts as a failure (never an expected duration). */
    public static final Duration WAIT = Duration.ofSeconds(20);
    public static final ObjectMapper JSON = new ObjectMapper();

    private static final String BASE = """
            ringkernel {
              backend = cpu
              http { interface = "127.0.0.1", port = 0, management.port = 0 }
              grpc { interface = "127.0.0.1", port = 0 }
              kernels.start = []
            }
            """;

    private final RingKernelServer.Running running;
    private final HttpClient client;

    private TestServer(RingKernelServer.Running running, HttpClient client) {
        this.running = running;
        this.client = client;
    }

    /** Starts a server configured by {@code hocon}; name the kernels it needs in {@code ringkernel.kernels.start}. */
    public static TestServer start(String hocon) {
        return start(hocon, newClient());
    }

    /** As {@link #start(String)}, with a client of the caller's (e.g. one trusting a test certificate). */
    public static TestServer start(String hocon, HttpClient client) {
        return new TestServer(RingKernelServer.start(settings(hocon)), client);
    }

    /** The checked settings of {@code hocon} over the test defaults. */
    public static ServerSettings settings(String hocon) {
        Config config = ConfigFactory.parseString(hocon).withFallback(ConfigFactory.parseString(BASE))
                .withFallback(ServerConfig.defaults()).resolve();
        return ServerConfig.validate(config);
    }

    /** An HTTP/1.1 client: one request per connection at a time, as most API clients use it. */
    public static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();
    }

    public RingKernelServer.Running running() {
        return running;
    }

    public RingKernels kernels() {
        return running.kernels();
    }

    /** The gRPC port, which the test configuration binds on 127.0.0.1 as it does the HTTP port. */
    public int grpcPort() {
        return running.grpc().orElseThrow(() -> new AssertionError("gRPC is off in this server")).port();
    }

    public HttpClient client() {
        return client;
    }

    public URI uri(String pathAndQuery) {
        return URI.create(running.url() + pathAndQuery);
    }

    /** A request to {@code pathAndQuery} with the test deadline set. */
    public HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(WAIT);
    }

    public HttpResponse<String> get(String pathAndQuery) {
        return send(request(pathAndQuery).GET());
    }

    public HttpResponse<String> postJson(String pathAndQuery, String json) {
        return post(pathAndQuery, "application/json", json);
    }

    public HttpResponse<String> post(String pathAndQuery, String contentType, String body) {
        return send(request(pathAndQuery).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        return send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return client.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + request.method() + " " + request.uri(), e);
        }
    }

    /** Stops the server as SIGTERM does and waits until its actor system has terminated. */
    @Override
    public void close() {
        running.stop();
        try {
            running.system().getWhenTerminated().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the server did not stop within " + WAIT, e);
        }
    }

    /** The body of {@code response} as JSON. */
    public static JsonNode json(HttpResponse<String> response) {
        return json(response.body());
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** Polls {@code condition} until it holds, failing with {@code what} after {@link #WAIT}. */
    public static void awaitTrue(BooleanSupplier condition, String what) {
        awaitTrue(condition, what, Duration.ofMillis(1));
    }

    /** As {@link #awaitTrue(BooleanSupplier, String)}, polling every {@code interval} (e.g. an HTTP request). */
    public static void awaitTrue(BooleanSupplier condition, String what, Duration interval) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            LockSupport.parkNanos(interval.toNanos());
        }
    }

    /** Requests of {@code kernel} in its rings or waiting for them, over all instances, as last reported. */
    public static int inKernel(KernelRef kernel) {
        int total = 0;
        for (InstanceStatus instance : kernel.info().instances()) {
            total += instance.counters().inFlight() + instance.counters().waiting();
        }
        return total;
    }
}
