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
    private static final int LINES = 24;
    private static final int SIDE = 128;
    private static TestServer server;
    private static ExecutorService writers;

    @BeforeAll
    static void startServer() {
        server = TestServer.start("""
                ringkernel {
                  kernels.start = [matmul]
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

    /**
     * Line {@code i} (from 1) multiplies a column of 1..SIDE by a row of SIDE times {@code i}: about 1.5 KB in and
     * 100 KB out, so that the server takes the whole request body at once while the response fills every buffer.
     */
    private static String line(int i) {
        String column = IntStream.rangeClosed(1, SIDE).mapToObj(String::valueOf).collect(Collectors.joining(","));
        String row = IntStream.range(0, SIDE).mapToObj(k -> String.valueOf(i)).collect(Collectors.joining(","));
        return "{\"inputs\":[{\"shape\":[" + SIDE + ",1],\"data\":[" + column + "]},{\"shape\":[1," + SIDE
                + "],\"data\":[" + row + "]}]}\n";
    }

    private static void assertProduct(int i, String line) {
        var data = TestServer.json(line).get("outputs").get(0).get("data");
        assertEquals(SIDE * SIDE, data.size(), "line " + i);
        assertEquals(i, data.get(0).asDouble(), "line " + i);
        assertEquals((double) SIDE * i, data.get(SIDE * SIDE - 1).asDouble(), "line " + i);
    }

    /**
     * Opens a stream of {@link #LINES} lines on a socket with an 8 KiB receive buffer; the request body goes out
     * from another thread, since the server reads it only as fast as the results are taken.
     */
    private static RawConnection openStream() {
        RawConnection client = RawConnection.open(server, 8 * 1024);
        String body = IntStream.rangeClosed(1, LINES).mapToObj(SlowStreamReaderTest::line).collect(Collectors.joining());
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        client.send("POST /api/kernels/matmul/stream HTTP/1.1\r\nHost: test\r\nContent-Type: application/x-ndjson\r\n"
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
        private final RawConnection client;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private final List<String> ready = new ArrayList<>();
        private boolean ended;

        Lines(RawConnection client) {
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
        try (LogCapture logs = LogCapture.attach(); RawConnection client = openStream()) {
            Lines lines = new Lines(client);
            for (int i = 1; i <= LINES; i++) {
                assertProduct(i, lines.next());
                LockSupport.parkNanos(50_000_000); // the reader's pace: about 2 MB/s, slower than the server
            }
            assertNull(lines.next(), "the stream ends after the last result");
            assertEquals(List.of(), logs.find(Level.WARN, "stream on kernel"));
        }
    }

    @Test
    void aReaderThatStopsIsToldWhyTheStreamWasCut() {
        try (LogCapture logs = LogCapture.attach(); RawConnection client = openStream()) {
            Lines lines = new Lines(client);
            assertProduct(1, lines.next());
            TestServer.awaitTrue(() -> !logs.find(Level.WARN, "the client took nothing for 3 s").isEmpty(),
                    "the server logs that it cut the stream");
            int read = 1;
            String line;
            while ((line = lines.next()) != null && !line.startsWith("{\"error\"")) {
                assertProduct(++read, line);
            }
            assertErrorBody(line, "stream_stalled", "the client took no results for 3 s, the limit of "
                    + "ringkernel.http.stream-stall-timeout; the stream ends after the result of line " + read);
            assertNull(lines.next(), "the error line is the last");
            assertEquals(1, logs.find(Level.WARN, "stream on kernel 'matmul' cut after the result of line " + read)
                    .size(), logs.events().toString());
            assertEquals(List.of(), logs.errorsAndThrowables());
        }
    }
}
