package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.http.ApiAssertions.assertErrorBody;
import static org.ringkernel.http.ApiAssertions.assertNoStackTrace;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bodies that cannot be received (malformed chunk sizes, a chunk of 2^63 bytes, a body cut off, a body
 * trickling in past {@code body-timeout}) are answered 400, 413 or 408 with a JSON error naming the problem,
 * or, for a client that went away, just logged: one warning line without a stack trace, never an ERROR.
 */
class BadUploadTest {
    private static final String SQUARE = "/api/kernels/square/process";
    private static final String ADMIN = "/admin/kernels/square/batching";
    private static TestServer server;
    private LogCapture logs;

    @BeforeAll
    static void startServer() {
        server = TestServer.start("""
                ringkernel {
                  kernels.start = [square]
                  http {
                    body-timeout = 1s
                    max-request-bytes = 4 KiB
                    max-line-bytes = 1 KiB
                    admin-token = "secret"
                  }
                }
                """);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void captureLogs() {
        logs = LogCapture.attach();
    }

    @AfterEach
    void noErrors() {
        try {
            assertEquals(List.of(), logs.errorsAndThrowables(), "no ERROR and no stack trace in the log");
        } finally {
            logs.close();
        }
    }

    private static String chunkedHead(String path) {
        return "POST " + path + " HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n";
    }

    /**
     * Sends a chunked request whose {@code body} is sent only once the server asks for it with 100 Continue: when a
     * parse error ends the connection before the route has even started, Pekko may close it before the answer
     * leaves, and this test is about the answer.
     */
    private static String answerChunked(String body, int status, String code, String... messageParts) {
        try (RawConnection client = RawConnection.open(server)) {
            client.send(chunkedHead(SQUARE).replace("\r\n\r\n", "\r\nExpect: 100-continue\r\n\r\n"));
            assertEquals(100, client.readHead().status());
            RawConnection.Response response = client.send(body).read();
            assertEquals(status, response.status(), response.body());
            assertEquals("application/json", response.headers().get("content-type"), response.toString());
            assertNoStackTrace(response.body());
            return assertErrorBody(response.body(), code, messageParts);
        }
    }

    /** Sends {@code request} on a new connection and reads the answer, which must be the JSON error {@code code}. */
    private static String answer(String request, int status, String code, String... messageParts) {
        try (RawConnection client = RawConnection.open(server)) {
            RawConnection.Response response = client.send(request).read();
            assertEquals(status, response.status(), response.body());
            assertEquals("application/json", response.headers().get("content-type"), response.toString());
            assertNoStackTrace(response.body());
            return assertErrorBody(response.body(), code, messageParts);
        }
    }

    /** Waits for the one warning about the body, with the request id, and checks that it has no stack trace. */
    private void awaitOneWarning(String text) {
        TestServer.awaitTrue(() -> !logs.find(Level.WARN, text).isEmpty(), "a warning containing '" + text + "'");
        List<ILoggingEvent> warnings = logs.find(Level.WARN, text);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).getMDCPropertyMap().containsKey("request_id"), LogCapture.describe(warnings.get(0)));
        assertEquals(null, warnings.get(0).getThrowableProxy(), LogCapture.describe(warnings.get(0)));
    }

    @Test
    void aMalformedChunkSizeIs400() {
        answerChunked("zz\r\n{}\r\n0\r\n\r\n", 400, "invalid_input",
                "the request body is malformed", "chunk");
        awaitOneWarning("request body refused with 400");
    }

    @Test
    void aChunkOf2To63BytesIs413() {
        answerChunked("7fffffffffffffff\r\n{}\r\n", 413, "too_large",
                "a chunk of the request body is too large", "ringkernel.http.max-request-bytes");
        awaitOneWarning("request body refused with 413");
    }

    @Test
    void chunksOverTheLimitAre413AndTheClientReceivesIt() {
        String chunk = "400\r\n" + " ".repeat(1024) + "\r\n";
        answerChunked(chunk.repeat(6) + "0\r\n\r\n", 413, "too_large",
                "larger than 4096 bytes, the limit of ringkernel.http.max-request-bytes");
    }

    @Test
    void aBodyTricklingInPastTheBodyTimeoutIs408() {
        answer("POST " + SQUARE + " HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 100\r\n"
                + "\r\n{\"inputs\"", 408, "request_timeout", "did not arrive within 1 s, the limit of ringkernel.http.body-timeout");
        awaitOneWarning("request body refused with 408");
    }

    @Test
    void theAdminRouteHasTheSameDeadline() {
        answer("PUT " + ADMIN + " HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer secret\r\n"
                + "Content-Type: application/json\r\nContent-Length: 50\r\n\r\n{\"max_", 408, "request_timeout",
                "ringkernel.http.body-timeout");
        awaitOneWarning("request body refused with 408");
    }

    @Test
    void aChunkedBodyCutOffByTheClientIsOneWarning() {
        try (RawConnection client = RawConnection.open(server)) {
            client.send(chunkedHead(SQUARE) + "10\r\n{\"inputs\":[{\"da");
        }
        awaitOneWarning("the client closed the connection");
    }

    @Test
    void aBodyShorterThanItsLengthCutOffByTheClientIsOneWarning() {
        try (RawConnection client = RawConnection.open(server)) {
            client.send("POST " + SQUARE + " HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 40\r\n\r\n{\"inputs\":");
        }
        awaitOneWarning("the client closed the connection");
    }

    @Test
    void afterwardsTheServerComputes() {
        assertEquals(200, server.get("/health").statusCode());
        assertEquals(200, server.postJson(SQUARE, "{\"inputs\":[{\"data\":[3]}]}").statusCode());
    }
}
