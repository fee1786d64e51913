package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.http.ApiAssertions.assertError;
import static org.ringkernel.http.ApiAssertions.assertErrorBody;
import static org.ringkernel.http.ApiAssertions.assertNoStackTrace;
import static org.ringkernel.http.TestServer.json;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ringkernel.actors.KernelRef;

/**
 * {@code POST /api/kernels/{id}/stream}: thousands of NDJSON lines sent as a streamed body and read back one
 * line at a time by a slow client come back in order, none lost, each correct, invalid lines as error lines
 * in their place, while the kernel never holds more of the stream than its parallelism.
 */
@ExtendWith(SharedServer.class)
class NdjsonStreamTest {
    private static final String STREAM = "/api/kernels/square/stream";
    private static TestServer server;

    @BeforeAll
    static void startServer(TestServer shared) {
        server = shared;
    }

    /** Line {@code i} (from 1) squares {@code [i, -i/4]}. */
    private static String valid(int i) {
        return "{\"inputs\":[{\"shape\":[2],\"data\":[" + i + "," + (-i / 4.0) + "]}]}";
    }

    private static void assertSquared(int i, String line) {
        JsonNode data = json(line).get("outputs").get(0).get("data");
        assertEquals((double) i * i, data.get(0).asDouble(), "line " + i + ": " + line);
        assertEquals((i / 4.0) * (i / 4.0), data.get(1).asDouble(), 1e-6 * i * i, "line " + i + ": " + line);
    }

    /** A streamed request body of {@code count} lines, made as the client sends them. */
    private static HttpRequest streamOf(int count, IntFunction<String> line) {
        return server.request(STREAM).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new LinesInputStream(count, line))).build();
    }

    @Test
    void thousandsOfLinesComeBackInOrderToASlowReaderWhileTheKernelHoldsAtMostTheParallelism() {
        int count = 3000;
        KernelRef square = server.kernels().kernel("square");
        HttpResponse<Stream<String>> response = server.send(streamOf(count, NdjsonStreamTest::valid),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        assertEquals("application/x-ndjson", response.headers().firstValue("Content-Type").orElse(""));
        int read = 0;
        int mostInKernel = 0;
        try (Stream<String> lines = response.body()) {
            for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                read++;
                assertSquared(read, line);
                int inKernel = TestServer.inKernel(square);
                mostInKernel = Math.max(mostInKernel, inKernel);
                assertTrue(inKernel <= SharedServer.STREAM_PARALLELISM, "after line " + read + " the kernel holds "
                        + inKernel + " requests of the stream, more than its parallelism");
                LockSupport.parkNanos(20_000); // a slow reader: the stream must wait for it, not buffer for it
            }
        }
        assertEquals(count, read, "one result per line");
    }

    @Test
    void aLongStreamLogsNoWarningForAnsweringBeforeItsRequestEnds() {
        int count = 2000;
        try (LogCapture logs = LogCapture.attach()) {
            HttpResponse<String> response = server.send(streamOf(count, NdjsonStreamTest::valid),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals(count, response.body().split("\n").length, "one result per line");
            // Pekko logs through one logging actor, in order: once this line has arrived, a warning the server
            // logged while it answered has too.
            String marker = "the long stream was answered " + UUID.randomUUID();
            server.running().system().classicSystem().log().warning(marker);
            TestServer.awaitTrue(() -> !logs.find(Level.WARN, marker).isEmpty(), "the marker is logged");
            assertEquals(List.of(), logs.find(Level.WARN, "'early' response").stream().map(LogCapture::describe)
                    .toList());
        }
    }

    @Test
    void invalidLinesBecomeErrorLinesInTheirPlace() {
        int count = 1000;
        IntFunction<String> line = i -> {
            if (i % 97 == 0) {
                return "not json";
            }
            if (i % 89 == 0) {
                return "{\"inputs\":[{\"shape\":[3],\"data\":[1]}]}";
            }
            if (i % 83 == 0) {
                return "{\"inputs\":[{\"data\":[1]}],\"params\":{\"gain\":2}}";
            }
            if (i % 79 == 0) {
                return "{\"inputs\":[{\"data\":[1e39]}]}";
            }
            return valid(i);
        };
        HttpResponse<String> response = server.send(streamOf(count, line), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertNoStackTrace(response.body());
        String[] lines = response.body().split("\n");
        assertEquals(count, lines.length, "one answer per line");
        for (int i = 1; i <= count; i++) {
            String answer = lines[i - 1];
            String at = "line " + i + ": ";
            if (i % 97 == 0) {
                assertErrorBody(answer, "invalid_input", at + "malformed JSON at column 1: expected a value");
            } else if (i % 89 == 0) {
                assertErrorBody(answer, "invalid_input", at + "inputs[0]: shape [3] holds 3 elements but data has 1");
            } else if (i % 83 == 0) {
                assertErrorBody(answer, "invalid_input", at + "kernel 'square', param 'gain': unknown param");
            } else if (i % 79 == 0) {
                assertErrorBody(answer, "invalid_input", at + "inputs[0].data[0] is 1e39, outside the float32 range");
            } else {
                assertSquared(i, answer);
            }
        }
    }

    @Test
    void blankLinesAreSkippedAndTheLastLineNeedsNoNewline() {
        String body = valid(1) + "\n\n   \n" + "not json\n" + valid(5);
        HttpResponse<String> response = server.post(STREAM, "application/x-ndjson", body);
        assertEquals(200, response.statusCode());
        String[] lines = response.body().split("\n");
        assertEquals(3, lines.length, response.body());
        assertSquared(1, lines[0]);
        assertErrorBody(lines[1], "invalid_input", "line 4: malformed JSON");
        assertSquared(5, lines[2]);
    }

    @Test
    void anEmptyStreamAnswersNothing() {
        HttpResponse<String> response = server.post(STREAM, "application/x-ndjson", "");
        assertEquals(200, response.statusCode());
        assertEquals("", response.body());
    }

    @Test
    void aStreamToAnUnknownKernelIs404() {
        assertError(server.post("/api/kernels/cube/stream", "application/x-ndjson", valid(1) + "\n"), 404,
                "unknown_kernel", "no kernel 'cube'");
    }

    /** Lines made on demand, so a large body is never held whole by the client. */
    private static final class LinesInputStream extends InputStream {
        private final int count;
        private final IntFunction<String> line;
        private int next = 1;
        private byte[] current = new byte[0];
        private int position;

        LinesInputStream(int count, IntFunction<String> line) {
            this.count = count;
            this.line = line;
        }

        @Override
        public int read() {
            if (!fill()) {
                return -1;
            }
            return current[position++] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(current, position, buffer, offset, n);
            position += n;
            return n;
        }

        private boolean fill() {
            if (position < current.length) {
                return true;
            }
            if (next > count) {
                return false;
            }
            current = (line.apply(next++) + "\n").getBytes(StandardCharsets.UTF_8);
            position = 0;
            return true;
        }
    }
}
