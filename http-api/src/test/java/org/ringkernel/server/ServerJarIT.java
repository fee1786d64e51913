package org.ringkernel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringkernel.http.RawConnection;
import org.ringkernel.http.TestServer;

/**
 * The server jar as it ships: its effective configuration read from the jar alone (not from the build's class
 * path, where the modules' reference.conf files are not merged), and its process stopped with SIGTERM under
 * load.
 */
class ServerJarIT {
    private static final String SQUARE = "{\"inputs\":[{\"shape\":[16],\"data\":[0.5,-1.25,2,3.5,-0.75,1,1.5,-2,"
            + "0.25,4,-3,2.5,0.125,-1,3,1.75]}]}";
    private static final int CLIENTS = 32;
    private static final int ANSWERS_BEFORE_SIGTERM = 300;

    @BeforeAll
    static void theJarIsThere() {
        assertTrue(Files.isRegularFile(ServerProcess.JAR), "no server jar at " + ServerProcess.JAR
                + "; these tests run in mvn verify, after package");
    }

    @Test
    void theJarsEffectiveConfigurationKeepsTheServersSettingsOfPekko(@TempDir Path workingDir) throws Exception {
        ClassLoader caller = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader jar = new URLClassLoader(new URL[] {ServerProcess.JAR.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            // The configuration library reads reference.conf through the context class loader.
            Thread.currentThread().setContextClassLoader(jar);
            Object config = jar.loadClass("org.ringkernel.server.config.ServerConfig")
                    .getMethod("load", List.class, Map.class, Path.class).invoke(null, List.of(), Map.of(), workingDir);
            Class<?> configType = jar.loadClass("com.typesafe.config.Config");
            Method string = configType.getMethod("getString", String.class);
            Method duration = configType.getMethod("getDuration", String.class);
            Method strings = configType.getMethod("getStringList", String.class);

            assertEquals("infinite", string.invoke(config, "pekko.http.server.parsing.max-content-length"),
                    "bodies are limited per route, by ringkernel.http.max-request-bytes");
            assertEquals(Duration.ofSeconds(60), duration.invoke(config, "pekko.http.server.request-timeout"));
            assertEquals(List.of("org.apache.pekko.event.slf4j.Slf4jLogger"), strings.invoke(config, "pekko.loggers"));
            assertEquals(false, configType.getMethod("getBoolean", String.class).invoke(config,
                    "pekko.actor.allow-java-serialization"), "messages between nodes are never Java-serialized");
            assertEquals("jackson-cbor", string.invoke(config,
                    "pekko.actor.serialization-bindings.\"org.ringkernel.actors.cluster.ClusterMessage\""));
        } finally {
            Thread.currentThread().setContextClassLoader(caller);
        }
    }

    /**
     * Arrow (and the Arrow route) is in the jar exactly when the build has the route; without it, an Arrow body is
     * a media type the route does not read. The build says which in {@code ringkernel.arrow-route.built}.
     */
    @Test
    void theJarCarriesArrowOnlyWithTheArrowRoute() throws Exception {
        boolean built = Boolean.getBoolean("ringkernel.arrow-route.built");
        try (JarFile jar = new JarFile(ServerProcess.JAR.toFile())) {
            assertEquals(built, jar.stream().anyMatch(e -> e.getName().startsWith("org/apache/arrow/")),
                    "Arrow classes in the jar");
            assertEquals(built, jar.getEntry("org/ringkernel/http/arrow/ArrowStreamFormat.class") != null);
            assertEquals("java.base/java.nio", jar.getManifest().getMainAttributes().getValue("Add-Opens"));
        }
        if (built) {
            return;
        }
        try (ServerProcess server = ServerProcess.start(Map.of())) {
            HttpResponse<String> response = TestServer.newClient().send(HttpRequest.newBuilder(
                            URI.create(server.url() + "/api/kernels/square/process")).timeout(TestServer.WAIT)
                    .header("Content-Type", "application/vnd.apache.arrow.stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {-1, -1, -1, -1, 0, 0, 0, 0})).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(415, response.statusCode(), response.body());
            assertTrue(response.body().contains("expected Content-Type application/json or application/octet-stream, "
                    + "got application/vnd.apache.arrow.stream"), response.body());
        }
    }

    @Test
    void theJarReadsBodiesUpToTheDocumentedLimit() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of())) {
            String nineMebibytes = "{\"inputs\":" + " ".repeat(9 << 20) + "1}";
            HttpResponse<String> read = post(server, nineMebibytes);
            assertEquals(400, read.statusCode(), "a 9 MiB body is read and its error named: " + read.body()
                    + "\n" + server.output());
            assertTrue(read.body().contains("inputs must be an array"), read.body());

            HttpResponse<String> tooLarge = post(server, " ".repeat(17 << 20));
            assertEquals(413, tooLarge.statusCode(), tooLarge.body());
            assertTrue(tooLarge.body().contains("ringkernel.http.max-request-bytes"), tooLarge.body());
            assertEquals(List.of(), server.lines("ERROR"), "nothing is logged as the server's fault");
        }
    }

    @Test
    void tooLittleDirectMemoryForTheKernelsStopsStartUpWithOneSentence(@TempDir Path workingDir) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:MaxDirectMemorySize=32m", "-jar", ServerProcess.JAR.toAbsolutePath().toString())
                .directory(workingDir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS), output);
        assertEquals(RingKernelServer.BAD_CONFIGURATION, process.exitValue(), output);
        assertTrue(output.strip().startsWith("configuration error: ringkernel.kernels.start: "), output);
        assertTrue(output.contains("-XX:MaxDirectMemorySize"), output);
        assertEquals(1, output.strip().lines().count(), "one line, no stack trace: " + output);
    }

    /**
     * SIGTERM under a keep-alive load of {@value #CLIENTS} connections: every request sent gets a whole response
     * (200, or 503 once the drain began), the response that ends each connection says {@code Connection: close},
     * no connection is reset, the log says what happened in one line, and the process exits 0.
     */
    @Test
    void sigtermUnderLoadAnswersEveryRequestAndExitsZero() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of())) {
            AtomicInteger answered = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            CountDownLatch enough = new CountDownLatch(1);
            List<CompletableFuture<String>> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(CompletableFuture.supplyAsync(() -> keepSending(server, answered, refused, enough),
                        runnable -> new Thread(runnable, "client").start()));
            }
            assertTrue(enough.await(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS), "the load got going");
            server.sigterm();

            for (CompletableFuture<String> client : clients) {
                assertEquals("closed after a Connection: close response",
                        client.get(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS));
            }
            assertEquals(0, server.awaitExit(), server.output());
            List<String> shutdown = server.lines("shutdown on SIGTERM");
            assertEquals(1, shutdown.size(), server.output());
            assertTrue(shutdown.get(0).contains("all answered"), shutdown.get(0));
            assertEquals(List.of(), server.lines("ERROR"), server.output());
            assertEquals(List.of(), server.lines("\tat "), "no stack trace: " + server.output());
            assertTrue(refused.get() <= CLIENTS, "at most one 503 per connection: " + refused.get());
        }
    }

    /** One keep-alive client: sends square requests until a response closes the connection. */
    private static String keepSending(ServerProcess server, AtomicInteger answered, AtomicInteger refused,
                                      CountDownLatch enough) {
        try (RawConnection connection = RawConnection.open(server.url())) {
            while (true) {
                RawConnection.Response response = connection.postJson("/api/kernels/square/process", SQUARE).read();
                if (response.status() == 503) {
                    refused.incrementAndGet();
                } else if (response.status() != 200) {
                    return "answered " + response.status() + ": " + response.body();
                }
                TestServer.json(response.body());
                if (answered.incrementAndGet() >= ANSWERS_BEFORE_SIGTERM) {
                    enough.countDown();
                }
                if (response.closes()) {
                    return connection.closedByServer() ? "closed after a Connection: close response"
                            : "left open after a Connection: close response";
                }
            }
        } catch (RuntimeException e) {
            return "a request went unanswered: " + e;
        }
    }

    private static HttpResponse<String> post(ServerProcess server, String json) throws IOException, InterruptedException {
        return TestServer.newClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/api/kernels/square/process"))
                        .timeout(TestServer.WAIT).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
