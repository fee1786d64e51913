package org.ringkernel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringkernel.http.TestServer;
import org.ringkernel.http.arrow.ArrowStreams;
import org.ringkernel.http.arrow.ArrowStreams.Column;

/**
 * The server jar built with the Arrow route, started with {@code java -jar} and nothing else: the manifest opens
 * java.nio to Arrow, and an Arrow IPC stream posted to the process route comes back computed.
 */
class ArrowServerJarIT {
    private static final String ARROW = "application/vnd.apache.arrow.stream";

    @Test
    void theJarAnswersAnArrowStream() throws Exception {
        Double[] x = new Double[1001];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 10 == 9 ? null : (double) (float) ((i - 500) / 64.0);
        }
        try (ServerProcess server = ServerProcess.start(Map.of())) {
            HttpResponse<byte[]> response = TestServer.newClient().send(HttpRequest.newBuilder(
                            URI.create(server.url() + "/api/kernels/square/process")).timeout(TestServer.WAIT)
                    .header("Content-Type", ARROW)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(ArrowStreams.write(new Column("x", false, x))))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, response.statusCode(), () -> new String(response.body()) + "\n" + server.output());
            assertEquals(ARROW, response.headers().firstValue("Content-Type").orElse(""));
            ArrowStreams.Read answer = ArrowStreams.read(response.body());
            assertEquals(1, answer.batches().size());
            Double[] y = answer.batches().get(0);
            for (int i = 0; i < x.length; i++) {
                if (x[i] == null) {
                    assertNull(y[i], "row " + i);
                } else {
                    assertEquals(x[i] * x[i], y[i], 1e-6 * Math.max(1, x[i] * x[i]), "row " + i);
                }
            }
            assertEquals(List.of(), server.lines("ERROR"), server.output());
        }
    }

    /**
     * Bodies whose first bytes, read as a message length, claim gigabytes (an Arrow file, text, a forged prefix) are
     * answered 400 by a server whose heap could not hold what they claim, and it goes on answering.
     */
    @Test
    void bodiesClaimingHugeMessagesAreRefusedWithoutExhaustingASmallHeap() throws Exception {
        byte[] forged = ArrowStreams.write(new Column("x", false, new Double[] {1d, 2d}));
        forged[4] = (byte) 0xff;
        forged[5] = (byte) 0xff;
        forged[6] = (byte) 0xff;
        forged[7] = (byte) 0x7f;
        try (ServerProcess server = ServerProcess.start(Map.of("JAVA_TOOL_OPTIONS", "-Xmx192m"))) {
            for (byte[] body : List.of(forged, ArrowStreams.file(new Column("x", false, new Double[] {1d, 2d})),
                    "not Arrow at all, just text".getBytes(StandardCharsets.UTF_8))) {
                HttpResponse<String> response = TestServer.newClient().send(HttpRequest.newBuilder(
                                URI.create(server.url() + "/api/kernels/square/process")).timeout(TestServer.WAIT)
                        .header("Content-Type", ARROW).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(400, response.statusCode(), () -> response.body() + "\n" + server.output());
                assertTrue(response.body().contains("bytes of metadata, but"), response.body());
            }
            HttpResponse<String> health = TestServer.newClient().send(HttpRequest.newBuilder(
                    URI.create(server.url() + "/health")).timeout(TestServer.WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), server.output());
            assertEquals(List.of(), server.lines("ERROR"), server.output());
        }
    }

    /** Started other than by java -jar, without java.nio opened, the server says what it needs and exits 2. */
    @Test
    void withoutJavaNioOpenedTheServerDoesNotStart(@TempDir Path workingDir) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", ServerProcess.JAR.toAbsolutePath().toString(), "org.ringkernel.server.RingKernelServer")
                .directory(workingDir.toFile()).redirectErrorStream(true)
                .redirectOutput(workingDir.resolve("output.txt").toFile());
        builder.environment().putAll(Map.of("RINGKERNEL_BACKEND", "cpu", "RINGKERNEL_HTTP_PORT", "0",
                "RINGKERNEL_HTTP__INTERFACE", "127.0.0.1", "RINGKERNEL_HTTP__MANAGEMENT__PORT", "0",
                "RINGKERNEL_GRPC__PORT", "0", "RINGKERNEL_GRPC__INTERFACE", "127.0.0.1",
                "RINGKERNEL_KERNELS__START", "square"));
        Process process = builder.start();
        boolean exited = process.waitFor(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(workingDir.resolve("output.txt"), StandardCharsets.UTF_8);
        assertTrue(exited, "the server should not have started: " + output);
        assertEquals(RingKernelServer.BAD_CONFIGURATION, process.exitValue(), output);
        assertTrue(output.contains("cannot start: the process route's Arrow format needs the JVM option "
                + "--add-opens=java.base/java.nio=ALL-UNNAMED"), output);
    }
}
