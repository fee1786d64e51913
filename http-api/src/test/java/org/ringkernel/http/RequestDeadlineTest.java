package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.http.ApiAssertions.assertError;
import static org.ringkernel.http.ApiAssertions.assertErrorBody;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ringkernel.request-timeout} runs from when the server has the request's head, not from when the kernel
 * takes it: a request whose time ran out before it reached the kernel is answered 504 at once, with JSON.
 */
class RequestDeadlineTest {
    private static final String REQUEST = "{\"inputs\":[{\"data\":[4]}]}";
    private static final Semaphore GATE = new Semaphore(0);
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start("""
                ringkernel {
                  kernels.start = [square]
                  request-timeout = 300ms
                  supervision.watchdog-timeout = 60s
                }
                """);
        server.kernels().register(GatedKernel.definition("gated", GATE));
    }

    @AfterAll
    static void stopServer() {
        GATE.release(1000);
        server.close();
    }

    @Test
    void timeSpentBeforeTheKernelCountsAgainstTheDeadline() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.uri("/").getPort())) {
            socket.setSoTimeout((int) TestServer.WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("POST /api/kernels/square/process HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + REQUEST.length() + "\r\nExpect: 100-continue\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String interim = readHead(in);
            assertTrue(interim.startsWith("HTTP/1.1 100 Continue"), interim);

            // The route has the request. A request sent now to a kernel that never finishes is answered 504 once
            // its own deadline has passed, and so the first request's deadline has passed too.
            assertError(server.postJson("/api/kernels/gated/process", REQUEST), 504, "timeout");

            out.write(REQUEST.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 504 "), head);
            assertTrue(head.contains("Content-Type: application/json"), head);
            assertErrorBody(readBody(in, head), "timeout", "no result within ringkernel.request-timeout (300 ms)",
                    "before it reached the kernel");
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed after: " + head.toString(StandardCharsets.US_ASCII));
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static String readBody(InputStream in, String head) throws IOException {
        int length = head.lines().filter(line -> line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                .map(line -> Integer.parseInt(line.substring(line.indexOf(':') + 1).strip())).findFirst()
                .orElseThrow(() -> new AssertionError("no Content-Length: " + head));
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
