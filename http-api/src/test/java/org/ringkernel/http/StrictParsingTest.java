package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ringkernel.http.ApiAssertions.assertError;
import static org.ringkernel.http.ApiAssertions.assertErrorBody;
import static org.ringkernel.http.ProcessBinaryTest.bytes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What used to be accepted leniently is refused with a 400 that says why: duplicate JSON keys, shapes in both
 * X-Shape and the query, empty shapes, signed or non-ASCII dimensions, params that are not plain decimals. Bodies
 * encoded with gzip or deflate are decoded, their decoded size limited (a zip bomb is 413); other codings are 415.
 */
class StrictParsingTest {
    private static final String SQUARE = "/api/kernels/square/process";
    private static final String SAXPY = "/api/kernels/saxpy/process";
    private static final String VALID = "{\"inputs\":[{\"shape\":[2],\"data\":[1.5,-3]}]}";
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start("""
                ringkernel {
                  kernels.start = [square, saxpy]
                  http { max-request-bytes = 64 KiB, max-line-bytes = 16 KiB, admin-token = "secret" }
                }
                """);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static HttpResponse<String> binary(String pathAndQuery, byte[] body, String... headers) {
        HttpRequest.Builder request = server.request(pathAndQuery).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return server.send(request);
    }

    private static HttpResponse<String> encoded(String path, String contentType, String coding, byte[] body) {
        return server.send(server.request(path).header("Content-Type", contentType).header("Content-Encoding", coding)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream zip = new DeflaterOutputStream(out)) {
            zip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aDuplicateKeyAnywhereIs400NamingIt() {
        assertError(server.postJson(SQUARE, "{\"inputs\":[{\"data\":[1]}],\"inputs\":[{\"data\":[2]}]}"), 400,
                "invalid_input", "duplicate field 'inputs'");
        assertError(server.postJson(SQUARE, "{\"inputs\":[{\"data\":[1],\"data\":[2]}]}"), 400, "invalid_input",
                "duplicate field 'data'");
        assertError(server.postJson(SAXPY, "{\"inputs\":[{\"data\":[1]},{\"data\":[2]}],\"params\":{\"alpha\":1,"
                + "\"alpha\":2}}"), 400, "invalid_input", "duplicate field 'alpha'");
    }

    @Test
    void theAdminRouteRefusesDuplicateKeys() {
        HttpResponse<String> response = server.send(server.request("/admin/kernels/square/batching")
                .header("Authorization", "Bearer secret").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"max_batch_size\":4,\"max_batch_size\":8}")));
        assertError(response, 400, "invalid_input", "duplicate field 'max_batch_size' at line 1, column 37");
    }

    @Test
    void shapesInBothTheHeaderAndTheQueryAre400() {
        assertError(binary(SQUARE + "?shape=2", bytes(new float[] {1, 2}), "X-Shape", "2"), 400, "invalid_input",
                "the shapes are given twice, in the X-Shape header (2) and in the shape query parameter (2)");
    }

    @Test
    void aParamOrShapeGivenTwiceIs400() {
        assertError(binary(SQUARE + "?shape=2&shape=2", bytes(new float[] {1, 2})), 400, "invalid_input",
                "query parameter 'shape' is given 2 times");
        assertError(binary(SAXPY + "?shape=1;1&alpha=1&alpha=2", bytes(new float[] {1, 2})), 400, "invalid_input",
                "query parameter 'alpha' is given 2 times");
    }

    @Test
    void anEmptyShapeIs400() {
        assertError(binary(SQUARE, bytes(new float[] {1}), "X-Shape", "1;"), 400, "invalid_input",
                "shape 2 is empty");
        assertError(binary(SQUARE + "?shape=1,", bytes(new float[] {1})), 400, "invalid_input",
                "dimension '' must be a whole number of at least 1");
    }

    @Test
    void signedAndNonAsciiDimensionsAre400() {
        assertError(binary(SQUARE, bytes(new float[] {1}), "X-Shape", "+1"), 400, "invalid_input",
                "dimension '+1' must be a whole number of at least 1, in the digits 0-9 only");
        for (String dim : List.of("\u0661", "\uff11", "1_0", "0x1", "+1")) {
            String query = URLEncoder.encode(dim, StandardCharsets.UTF_8);
            assertError(binary(SQUARE + "?shape=" + query, bytes(new float[] {1})), 400, "invalid_input",
                    "dimension '" + dim + "' must be a whole number of at least 1, in the digits 0-9 only");
        }
    }

    @Test
    void paramsThatAreNotPlainDecimalsAre400() {
        for (String value : List.of("0x1p3", "NaN", "Infinity", "-Infinity", "1d", "2f", "%201", "1%20", "+1", ".5",
                "1e999")) {
            HttpResponse<String> response = binary(SAXPY + "?shape=1;1&alpha=" + value, bytes(new float[] {1, 2}));
            assertError(response, 400, "invalid_input", "param alpha must be a number, got '", "write it as a plain decimal");
        }
        assertEquals(200, binary(SAXPY + "?shape=1;1&alpha=-2.5e-1", bytes(new float[] {4, 1})).statusCode());
    }

    @Test
    void aJsonRequestWithShapesOutsideItsBodyIs400() {
        assertError(server.send(server.request(SQUARE + "?shape=2").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(VALID))), 400, "invalid_input",
                "a JSON request carries its params in the body, not the query (shape)");
        assertError(server.send(server.request(SQUARE).header("Content-Type", "application/json").header("X-Shape", "2")
                .POST(HttpRequest.BodyPublishers.ofString(VALID))), 400, "invalid_input",
                "a JSON request carries its shapes in the body, not the X-Shape header");
    }

    @Test
    void gzipAndDeflateBodiesAreDecoded() {
        for (HttpResponse<String> response : List.of(encoded(SQUARE, "application/json", "gzip", gzip(utf8(VALID))),
                encoded(SQUARE, "application/json", "deflate", deflate(utf8(VALID))),
                encoded(SQUARE, "application/json", "identity", utf8(VALID)))) {
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("[2.25,9.0]", TestServer.json(response).get("outputs").get(0).get("data").toString());
        }
    }

    @Test
    void aZipBombIs413OnItsDecodedSize() {
        byte[] bomb = gzip(new byte[16 * 1024 * 1024]);
        assertError(encoded(SQUARE, "application/json", "gzip", bomb), 413, "too_large",
                "larger than 65536 bytes once decoded from gzip, the limit of ringkernel.http.max-request-bytes");
    }

    @Test
    void aCorruptGzipBodyIs400() {
        assertError(encoded(SQUARE, "application/json", "gzip", utf8(VALID)), 400, "invalid_input",
                "the request body is not valid gzip");
    }

    @Test
    void otherCodingsAre415NamingThem() {
        assertError(encoded(SQUARE, "application/json", "br", utf8(VALID)), 415, "unsupported_media_type",
                "Content-Encoding 'br' is not supported");
        assertError(encoded(SQUARE, "application/json", "gzip, gzip", gzip(gzip(utf8(VALID)))), 415,
                "unsupported_media_type", "encoded more than once");
        assertError(encoded("/api/kernels/square/stream", "application/x-ndjson", "compress", utf8(VALID)), 415,
                "unsupported_media_type", "Content-Encoding 'compress' is not supported");
    }

    @Test
    void anNdjsonStreamIsDecodedAndRefusesDuplicateKeysPerLine() {
        String lines = VALID + "\n{\"inputs\":[{\"data\":[1]}],\"inputs\":[]}\n" + VALID + "\n";
        HttpResponse<String> response = encoded("/api/kernels/square/stream", "application/x-ndjson", "gzip",
                gzip(utf8(lines)));
        assertEquals(200, response.statusCode(), response.body());
        List<String> out = response.body().lines().toList();
        assertEquals(3, out.size(), response.body());
        assertEquals("[2.25,9.0]", TestServer.json(out.get(0)).get("outputs").get(0).get("data").toString());
        assertErrorBody(out.get(1), "invalid_input", "line 2: duplicate field 'inputs'");
        assertEquals("[2.25,9.0]", TestServer.json(out.get(2)).get("outputs").get(0).get("data").toString());
    }

    @Test
    void anNdjsonStreamThatIsNotTheGzipItClaimsEndsWithAnErrorLine() {
        HttpResponse<String> response = encoded("/api/kernels/square/stream", "application/x-ndjson", "gzip",
                utf8("not gzip at all\n"));
        assertEquals(200, response.statusCode(), response.body());
        List<String> out = response.body().lines().toList();
        assertEquals(1, out.size(), response.body());
        assertErrorBody(out.get(0), "invalid_input", "the request body is not valid gzip");
    }
}
