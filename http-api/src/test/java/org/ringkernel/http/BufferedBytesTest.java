package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@code ringkernel.http.max-buffered-bytes} bounds the request bodies held at once, over all requests: while
 * one large body is still arriving, another that would pass the budget is answered 503 with Retry-After, and
 * once the first has been read its bytes are given back.
 */
class BufferedBytesTest {
    private static final int ATTEMPTS = 5;
    private static final Duration PROBING = Duration.ofSeconds(5);

    /** A valid request of about {@code bytes} bytes: one element padded with spaces. */
    private static String paddedRequest(int bytes) {
        return "{\"inputs\":[{\"data\":[2" + " ".repeat(bytes) + "]}]}";
    }

    @Test
    void aBodyBeyondTheBudgetIs503WhileAnotherIsStillArriving() {
        try (TestServer server = TestServer.start("""
                ringkernel {
                  kernels.start = [square]
                  http { max-request-bytes = 4 KiB, max-line-bytes = 1 KiB, max-buffered-bytes = 6 KiB }
                }
                """)) {
            byte[] body = paddedRequest(3900).getBytes(StandardCharsets.UTF_8);
            for (int attempt = 1; ; attempt++) {
                try (RawConnection slow = RawConnection.open(server)) {
                    slow.send("POST /api/kernels/square/process HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n").send(chunk(Arrays.copyOf(body, 3000)));
                    if (refusedWhileHeld(server)) {
                        slow.send(chunk(Arrays.copyOfRange(body, 3000, body.length))).send("0\r\n\r\n");
                        RawConnection.Response first = slow.read();
                        assertEquals(200, first.status(), first.body());
                        HttpResponse<String> after = server.postJson("/api/kernels/square/process", paddedRequest(3400));
                        assertEquals(200, after.statusCode(), "the first body's bytes were given back: " + after.body());
                        return;
                    }
                }
                assertTrue(attempt < ATTEMPTS, "no body that would pass the budget was refused while the first was held, in "
                        + ATTEMPTS + " attempts");
            }
        }
    }

    /**
     * Whether a body that would pass the budget with the first one's bytes is refused within a few seconds. A probe
     * the server is still reading when the first body's chunk arrives is itself what holds the budget then, and the
     * first body is the one refused: nothing held, every later probe served. The caller starts afresh then.
     */
    private static boolean refusedWhileHeld(TestServer server) {
        long deadline = System.nanoTime() + PROBING.toNanos();
        while (System.nanoTime() - deadline < 0) {
            HttpResponse<String> response = server.postJson("/api/kernels/square/process", paddedRequest(3400));
            if (response.statusCode() != 200) {
                assertOverloaded(response);
                return true;
            }
        }
        return false;
    }

    private static byte[] chunk(byte[] data) {
        byte[] head = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = Arrays.copyOf(head, head.length + data.length + 2);
        System.arraycopy(data, 0, chunk, head.length, data.length);
        chunk[chunk.length - 2] = '\r';
        chunk[chunk.length - 1] = '\n';
        return chunk;
    }

    private static void assertOverloaded(HttpResponse<String> response) {
        assertEquals(503, response.statusCode(), response.body());
        assertEquals("overloaded", TestServer.json(response).get("error").get("code").asText());
        assertTrue(response.body().contains("ringkernel.http.max-buffered-bytes"), response.body());
        assertTrue(response.headers().firstValue("Retry-After").isPresent(), "a 503 says when to retry");
    }
}
