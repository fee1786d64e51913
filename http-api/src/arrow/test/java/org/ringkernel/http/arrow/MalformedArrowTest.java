package org.ringkernel.http.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.http.ApiAssertions.assertError;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ringkernel.actors.InvalidRequestException;
import org.ringkernel.http.BadRequestException;
import org.ringkernel.http.LogCapture;
import org.ringkernel.http.TestServer;
import org.ringkernel.http.arrow.ArrowStreams.Column;

/**
 * Arrow bodies the route cannot run: each is answered 400 (413 for too many rows) with a message naming what is
 * wrong, nothing is logged as an error, and the format's memory is back to nothing afterwards.
 */
class MalformedArrowTest {
    private static final String ARROW = ArrowStreamFormat.MEDIA_TYPE;
    private static final int MAX_ROWS = 1000;

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start("ringkernel.kernels.start = [square, saxpy, stats]\n"
                + "ringkernel.http.max-elements-per-input = " + MAX_ROWS);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void garbageIsNotAStream() {
        assertInvalid("square", "", "not Arrow at all, just text".getBytes(),
                "the body is not a valid Arrow IPC stream");
    }

    @Test
    void aLengthPrefixClaimingMoreThanTheBodyIsRefusedBeforeAnythingIsAllocated() {
        // Text read as a length prefix claims 544 MiB of metadata, which the reader would allocate on the heap.
        assertInvalid("square", "", "not Arrow at all, just text".getBytes(),
                "message 1 (at byte 0) claims 544501614 bytes of metadata, but 23 bytes of the body are left");
        byte[] stream = ArrowStreams.write(Column.float32("x", 1f, 2f, 3f));
        byte[] huge = stream.clone();
        huge[4] = (byte) 0xff;
        huge[5] = (byte) 0xff;
        huge[6] = (byte) 0xff;
        huge[7] = (byte) 0x7f;
        assertInvalid("square", "", huge, "message 1 (at byte 0) claims 2147483647 bytes of metadata");
    }

    @Test
    void anArrowFileIsNotAStream() {
        assertInvalid("square", "", ArrowStreams.file(Column.float32("x", 1f, 2f, 3f)),
                "an Arrow file (starting ARROW1) is not a stream");
    }

    @Test
    void aCompressedRecordBatchIsRefusedNamingItsCodec() {
        assertInvalid("square", "", ArrowStreams.compressedBatch(Column.float32("x")),
                "message 2 (at byte ", "is a record batch compressed with ZSTD; the process route reads uncompressed"
                        + " Arrow IPC streams, so write it without compression");
    }

    @Test
    void anEmptyBodyHasNoSchema() {
        assertInvalid("square", "", new byte[0], "the body is empty; an Arrow IPC stream starts with its schema");
    }

    @Test
    void aStreamCutInsideAMessageIsIncomplete() {
        byte[] stream = ArrowStreams.write(Column.float32("x", 1f, 2f, 3f));
        assertInvalid("square", "", Arrays.copyOf(stream, stream.length - 20),
                "the body is not a valid Arrow IPC stream");
    }

    @Test
    void aStreamCutBetweenMessagesLacksItsEndMarker() {
        byte[] stream = ArrowStreams.write(Column.float32("x", 1f, 2f, 3f));
        assertInvalid("square", "", Arrays.copyOf(stream, stream.length - 8),
                "ends after 1 record batches without its end-of-stream marker: the body is cut off");
    }

    @Test
    void bytesAfterTheEndOfTheStreamAreAnError() {
        byte[] stream = ArrowStreams.write(Column.float32("x", 1f, 2f, 3f));
        byte[] longer = Arrays.copyOf(stream, stream.length + 3);
        assertInvalid("square", "", longer, "the body has 3 bytes after the end of its Arrow IPC stream");
    }

    @Test
    void aColumnThatIsNotFloatIsNamedWithItsType() {
        assertInvalid("saxpy", "", ArrowStreams.withIntColumn("counts", "y"),
                "column 'counts' is of Arrow type Int(32, true)", "takes float columns");
    }

    @Test
    void aWrongNumberOfColumnsNamesBoth() {
        assertInvalid("saxpy", "", ArrowStreams.write(Column.float32("x", 1f)),
                "kernel 'saxpy' takes 2 input columns (x, y); the stream has 1 (x)");
        assertInvalid("square", "", ArrowStreams.write(Column.float32("a", 1f), Column.float32("b", 1f)),
                "kernel 'square' takes 1 input columns (x); the stream has 2 (a, b)");
    }

    @Test
    void aColumnNamedTwiceIsAnError() {
        assertInvalid("saxpy", "", ArrowStreams.write(Column.float32("x", 1f), Column.float32("x", 2f)),
                "column 'x' is given twice");
    }

    @Test
    void paramsFollowTheQueryRules() {
        byte[] stream = ArrowStreams.write(Column.float32("x", 1f), Column.float32("y", 2f));
        assertInvalid("saxpy", "?alpha=0x10", stream, "param alpha must be a number, got '0x10'");
        assertInvalid("saxpy", "?alpha=1&alpha=2", stream, "query parameter 'alpha' is given 2 times");
    }

    @Test
    void aFloat64ValueBeyondFloat32IsNamed() {
        assertInvalid("square", "", ArrowStreams.write(Column.float64("x", 1, 1e300)), "1.0E300");
    }

    @Test
    void nullsInAColumnTakenWholeAreNamed() {
        assertInvalid("stats", "", ArrowStreams.write(new Column("x", false, new Double[] {1.0, null})),
                "column 'x' has 1 null rows", "not element-wise");
    }

    @Test
    void theHeadersOfOctetStreamRequestsAreRefused() {
        byte[] stream = ArrowStreams.write(Column.float32("x", 1f));
        HttpResponse<String> response = server.send(request("square", "", stream).header("X-Shape", "1"));
        assertError(response, 400, "invalid_input", "takes no X-Shape header");
    }

    @Test
    void aBatchOfMoreRowsThanTheLimitIsTooLarge() {
        float[] rows = new float[MAX_ROWS + 1];
        Arrays.fill(rows, 1f);
        HttpResponse<String> response = server.send(request("square", "",
                ArrowStreams.write(Column.float32("x", rows))));
        assertError(response, 413, "too_large", "record batch 1 has 1001 rows, more than 1000",
                "ringkernel.http.max-elements-per-input");
    }

    @Test
    void noClientErrorIsLoggedAsAnError() {
        try (LogCapture logs = LogCapture.attach()) {
            assertInvalid("square", "", "garbage".getBytes(), "not a valid Arrow IPC stream");
            assertInvalid("square", "", ArrowStreams.write(Column.float64("x", 1e300)), "1.0E300");
            assertInvalid("saxpy", "", ArrowStreams.write(Column.float32("x", 1f)), "takes 2 input columns");
            assertEquals(List.of(), logs.errorsAndThrowables());
        }
    }

    /** The format as the route holds it: memory of every request, good or malformed, is released when it ends. */
    @Test
    void everyRequestReleasesItsMemory() throws Exception {
        try (ArrowStreamFormat format = new ArrowStreamFormat(server.kernels(),
                server.running().settings().http())) {
            var square = server.kernels().kernel("square");
            List<byte[]> bodies = List.of(
                    ArrowStreams.write(Column.float32("x", new float[70_000])),
                    "garbage".getBytes(),
                    Arrays.copyOf(ArrowStreams.write(Column.float32("x", 1f, 2f)), 40),
                    ArrowStreams.withIntColumn("n", "x"),
                    ArrowStreams.write(Column.float64("x", 1e300)),
                    ArrowStreams.write(Column.float32("x", 1f), Column.float32("y", 1f)));
            for (byte[] body : bodies) {
                try {
                    format.process(square, ByteString.fromArray(body), Map.of()).toCompletableFuture()
                            .get(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (BadRequestException expected) {
                    assertEquals(400, expected.error().status().intValue());
                } catch (ExecutionException expected) {
                    assertTrue(expected.getCause() instanceof BadRequestException, expected.toString());
                }
                assertEquals(0, format.allocatedBytes(), "memory held after a body of " + body.length + " bytes");
            }
        }
    }

    private static HttpRequest.Builder request(String kernel, String query, byte[] body) {
        return server.request("/api/kernels/" + kernel + "/process" + query).header("Content-Type", ARROW)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private static void assertInvalid(String kernel, String query, byte[] body, String... messageParts) {
        assertError(server.send(request(kernel, query, body)), 400, "invalid_input", messageParts);
    }

    /**
     * Bytes of valid streams changed at random (seeded; the seed is printed, replay it with
     * {@code -Dringkernel.arrow.fuzz.seed=N}): every body is answered or refused as the client's error, and none
     * leaves Arrow memory held, also where Arrow's reader fails after reading a batch's body.
     */
    @Test
    void randomlyDamagedStreamsAreAnsweredOrRefusedAndReleaseTheirMemory() throws Exception {
        long seed = Long.getLong("ringkernel.arrow.fuzz.seed", System.nanoTime());
        System.out.println("MalformedArrowTest damaged streams: seed " + seed);
        Random random = new Random(seed);
        Double[] withNulls = new Double[300];
        for (int i = 0; i < withNulls.length; i++) {
            withNulls[i] = i % 7 == 0 ? null : i * 0.5;
        }
        List<byte[]> valid = List.of(
                ArrowStreams.write(List.of(List.of(Column.float32("x", new float[100])),
                        List.of(Column.float32("x", new float[64])))),
                ArrowStreams.write(new Column("x", true, withNulls), new Column("y", false, withNulls)));
        try (ArrowStreamFormat format = new ArrowStreamFormat(server.kernels(),
                server.running().settings().http())) {
            for (int round = 0; round < 2_000; round++) {
                byte[] body = valid.get(round % valid.size()).clone();
                int changes = 1 << random.nextInt(4);
                for (int c = 0; c < changes; c++) {
                    body[random.nextInt(body.length)] = (byte) random.nextInt(256);
                }
                String kernel = round % valid.size() == 0 ? "square" : "saxpy";
                try {
                    format.process(server.kernels().kernel(kernel), ByteString.fromArray(body), Map.of())
                            .toCompletableFuture().get(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (BadRequestException refused) {
                    assertEquals(400, refused.error().status().intValue(), "seed " + seed + ", round " + round);
                } catch (ExecutionException refused) {
                    // A damaged value (NaN, infinity) reaches the kernel, which refuses it: 400 as well.
                    assertTrue(refused.getCause() instanceof BadRequestException
                                    || refused.getCause().getCause() instanceof InvalidRequestException,
                            "seed " + seed + ", round " + round + ": " + refused);
                }
                assertEquals(0, format.allocatedBytes(), "seed " + seed + ": memory held after round " + round);
            }
        }
    }
}
