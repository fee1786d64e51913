package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.ringkernel.http.ApiAssertions.assertErrorBody;

import ch.qos.logback.classic.Level;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * NDJSON readers with a small receive buffer: one that reads slowly but steadily gets every line; one that stops
 * reading is cut after {@code stream-stall-timeout} and, when it reads again, finds every result before the cut
 * and then a final error line naming the setting, while the log has one warning. A small socket send buffer
 * makes the server see both within a few hundred kilobytes.
 */
class SlowStreamReaderTest {
    private static final int LINES = 300;
    private static final int ELEMENTS = 400;
    private static TestServer server;
    private static ExecutorService writers;

    @BeforeAll
    static void startServer() {
        server = TestServer.start("""
                ringkernel {
                  kernels.start = [square]
                  http.stream-stall-timeout = 3s
                }
                pekko.http.server.socket-options.so-send-buffer-size = 32 KiB
                """);
        writers = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stopServer() {
        writers.shutdownNow();
        server.close();
    }

    /** Line {@code i} (from 1) squares {@code ELEMENTS} values around {@code i}. */
    private static String line(int i) {
        return "{\"inputs\":[{\"data\":[" + IntStream.range(0, ELEMENTS).mapToObj(k -> i + "." + k)
                .collect(Collectors.joining(",")) + "]}]}\n";
    }

    private static void assertSquared(int i, String line) {
        double first = TestServer.json(line).get("outputs").get(0).get("data").get(0).asDouble();
        assertEquals(Double.parseDouble(i + ".0") * Double.parseDouble(i + ".0"), first, 1e-3 * i * i, "line " + i);
    }

    /**
     * Opens a stream of {@link #LINES} lines on a socket with an 8 KiB receive buffer; the request body goes out
     * from another thread, since the server reads it only as fast as the results are taken.
     */
    private static RawClient openStream() {
        RawClient client = RawClient.connect(server, 8 * 1024);
        String body = IntStream.rangeClosed(1, LINES).mapToObj(SlowStreamReaderTest::line).collect(Collectors.joining());
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        client.send("POST /api/kernels/square/stream HTTP/1.1\r\nHost: test\r\nContent-Type: application/x-ndjson\r\n"
                + "Content-Length: " + bytes.length + "\r\n\r\n");
        writers.execute(() -> {
            try {
                client.send(bytes);
            } catch (RuntimeException closedByTheTest) {
                // The test is over and closed the socket.
            }
        });
        assertEquals(200, client.readHead().status());
        return client;
    }

    /** Splits a chunked response into lines as the client reads it, chunk by chunk. */
    private static final class Lines {
        private final RawClient client;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private final List<String> ready = new ArrayList<>();
        private boolean ended;

        Lines(RawClient client) {
            this.client = client;
        }

        /** The next line, or null at the end of the response. */
        String next() {
            while (ready.isEmpty() && !ended) {
                byte[] chunk = client.readChunk();
                if (chunk == null) {
                    ended = true;
                }
                for (byte b : chunk == null ? new byte[0] : chunk) {
                    if (b == '\n') {
                        ready.add(pending.toString(StandardCharsets.UTF_8));
                        pending.reset();
                    } else {
                        pending.write(b);
                    }
                }
            }
            return ready.isEmpty() ? null : ready.remove(0);
        }
    }

    @Test
    void aSlowSteadyReaderGetsEveryLine() {
        try (LogCapture logs = LogCapture.attach(); RawClient client = openStream()) {
            Lines lines = new Lines(client);
            for (int i = 1; i <= LINES; i++) {
                assertSquared(i, lines.next());
                LockSupport.parkNanos(2_000_000); // the reader's pace: a few hundred KB/s, slower than the server
            }
            assertNull(lines.next(), "the stream ends after the last result");
            assertEquals(List.of(), logs.find(Level.WARN, "stream on kernel"));
        }
    }

    @Test
    void aReaderThatStopsIsToldWhyTheStreamWasCut() {
        try (LogCapture logs = LogCapture.attach(); RawClient client = openStream()) {
            Lines lines = new Lines(client);
            for (int i = 1; i <= 3; i++) {
                assertSquared(i, lines.next());
            }
            TestServer.awaitTrue(() -> !logs.find(Level.WARN, "the client took nothing for 3 s").isEmpty(),
                    "the server logs that it cut the stream");
            int read = 3;
            String line;
            while ((line = lines.next()) != null && !line.startsWith("{\"error\"")) {
                assertSquared(++read, line);
            }
            assertErrorBody(line, "stream_stalled", "the client took no results for 3 s, the limit of "
                    + "ringkernel.http.stream-stall-timeout; the stream ends after the result of line " + read);
            assertNull(lines.next(), "the error line is the last");
            assertEquals(1, logs.find(Level.WARN, "stream on kernel 'square' cut after the result of line " + read)
                    .size(), logs.events().toString());
            assertEquals(List.of(), logs.errorsAndThrowables());
        }
    }
}
