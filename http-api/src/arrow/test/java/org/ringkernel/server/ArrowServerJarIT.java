package org.ringkernel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
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
}
