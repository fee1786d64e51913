package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ringkernel.http.ApiAssertions.assertError;
import static org.ringkernel.http.ApiAssertions.assertErrorBody;
import static org.ringkernel.http.ProcessBinaryTest.bytes;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 413 for what is over the configured limits: a body over {@code max-request-bytes} (with a length and
 * chunked), an input over {@code max-elements-per-input} (JSON and binary), an NDJSON line over
 * {@code max-line-bytes}.
 */
class SizeLimitTest {
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start("""
                ringkernel {
                  kernels.start = [square]
                  http {
                    max-request-bytes = 4 KiB
                    max-line-bytes = 1 KiB
                    max-elements-per-input = 16
                  }
                }
                """);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** A valid JSON request of about {@code bytes} bytes: one element padded with spaces. */
    private static String paddedRequest(int bytes) {
        return "{\"inputs\":[{\"data\":[2" + " ".repeat(bytes) + "]}]}";
    }

    @Test
    void aBodyOverTheLimitIs413() {
        assertError(server.postJson("/api/kernels/square/process", paddedRequest(8 * 1024)), 413, "too_large",
                "the request body is larger than 4096 bytes, the limit of ringkernel.http.max-request-bytes");
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() {
        byte[] body = paddedRequest(8 * 1024).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = server.send(server.request("/api/kernels/square/process")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
        assertError(response, 413, "too_large", "larger than 4096 bytes");
    }

    @Test
    void aBodyJustUnderTheLimitIsComputed() {
        HttpResponse<String> response = server.postJson("/api/kernels/square/process", paddedRequest(3 * 1024));
        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void aJsonInputOverTheElementLimitIs413NamingTheInput() {
        String data = IntStream.rangeClosed(1, 17).mapToObj(String::valueOf).collect(Collectors.joining(","));
        assertError(server.postJson("/api/kernels/square/process", "{\"inputs\":[{\"data\":[" + data + "]}]}"), 413,
                "too_large", "inputs[0] has more than 16 elements, the limit of ringkernel.http.max-elements-per-input");
    }

    @Test
    void aJsonShapeOverTheElementLimitIs413() {
        assertError(server.postJson("/api/kernels/square/process", "{\"inputs\":[{\"shape\":[17],\"data\":[1]}]}"),
                413, "too_large", "inputs[0] has more than 16 elements");
    }

    @Test
    void aBinaryInputOverTheElementLimitIs413NamingTheShape() {
        HttpResponse<String> response = server.send(server.request("/api/kernels/square/process?shape=17")
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(new float[17]))));
        assertError(response, 413, "too_large", "input 0 of shape [17] has more than 16 elements");
    }

    /**
     * The lines before the one over the limit were read and taken, so each still gets its result, in order,
     * before the error line that ends the stream.
     */
    @Test
    void anNdjsonLineOverTheLimitEndsTheStreamWithA413LineAfterTheResultsBeforeIt() {
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= 5; i++) {
            body.append("{\"inputs\":[{\"data\":[").append(i).append("]}]}\n");
        }
        body.append(paddedRequest(2 * 1024)).append("\n{\"inputs\":[{\"data\":[9]}]}\n");
        HttpResponse<String> response = server.post("/api/kernels/square/stream", "application/x-ndjson",
                body.toString());
        assertEquals(200, response.statusCode(), response.body());
        List<String> lines = response.body().lines().toList();
        assertEquals(6, lines.size(), "five results, then the error: " + response.body());
        for (int i = 1; i <= 5; i++) {
            assertEquals(i * i, TestServer.json(lines.get(i - 1)).get("outputs").get(0).get("data").get(0).asDouble(),
                    response.body());
        }
        assertErrorBody(lines.get(5), "too_large", "line 6 is longer than 1024 bytes, the limit of "
                + "ringkernel.http.max-line-bytes");
    }
}
