package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ringkernel.http.ApiAssertions.assertError;
import static org.ringkernel.http.ProcessJsonTest.assertClose;
import static org.ringkernel.http.ProcessJsonTest.assertOutput;
import static org.ringkernel.http.TestServer.json;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /api/kernels/{id}/process} with {@code application/octet-stream}: little-endian float32 bodies,
 * shapes in {@code X-Shape} or the {@code shape} query, params in the query, and binary answers for
 * {@code Accept: application/octet-stream}.
 */
@ExtendWith(SharedServer.class)
class ProcessBinaryTest {
    private static final float[] SIX = {1.5f, -2f, 3f, -4.25f, 5f, 0.5f};
    private static TestServer server;

    @BeforeAll
    static void startServer(TestServer shared) {
        server = shared;
    }

    @Test
    void theShapeMayComeInTheXShapeHeader() {
        HttpResponse<String> response = server.send(binary("/api/kernels/square/process", SIX).header("X-Shape", "2,3"));
        assertEquals(200, response.statusCode(), response.body());
        assertOutput(json(response), new int[] {2, 3}, squares(SIX), 1e-7);
    }

    @Test
    void theShapeMayComeInTheQuery() {
        HttpResponse<String> response = server.send(binary("/api/kernels/square/process?shape=3,2", SIX));
        assertEquals(200, response.statusCode(), response.body());
        assertOutput(json(response), new int[] {3, 2}, squares(SIX), 1e-7);
    }

    @Test
    void twoInputsAreSeparatedBySemicolonsAndTheAnswerIsBinaryWhenAccepted() {
        float[] a = {1, 2, 3, 4, 5, 6};
        float[] b = {7, 8, 9, 10, 11, 12};
        float[] both = new float[12];
        System.arraycopy(a, 0, both, 0, 6);
        System.arraycopy(b, 0, both, 6, 6);
        HttpResponse<byte[]> response = server.send(binary("/api/kernels/matmul/process", both)
                .header("X-Shape", "2,3;3,2").header("Accept", "application/octet-stream").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertEquals("application/octet-stream", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals("2,2", response.headers().firstValue("X-Shape").orElse(""));
        float[] c = floats(response.body());
        assertEquals(4, c.length);
        double[] expected = {58, 64, 139, 154};
        for (int i = 0; i < 4; i++) {
            assertClose(expected[i], c[i], 1e-7, "c[" + i + "]");
        }
    }

    @Test
    void paramsComeInTheQuery() {
        float[] x = {1, -2, 3, 4};
        float[] y = {0.5f, 0.25f, -1, 2};
        float[] both = {1, -2, 3, 4, 0.5f, 0.25f, -1, 2};
        HttpResponse<String> response = server.send(binary("/api/kernels/saxpy/process?shape=4;4&alpha=3", both));
        assertEquals(200, response.statusCode(), response.body());
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) {
            expected[i] = 3.0 * x[i] + y[i];
        }
        assertOutput(json(response), new int[] {4}, expected, 1e-7);
    }

    @Test
    void aBinaryAnswerNamesItsShapeInXShape() {
        HttpResponse<byte[]> response = server.send(binary("/api/kernels/square/process?shape=2,3", SIX)
                .header("Accept", "application/octet-stream").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertEquals("2,3", response.headers().firstValue("X-Shape").orElse(""));
        float[] out = floats(response.body());
        double[] expected = squares(SIX);
        assertEquals(6, out.length);
        for (int i = 0; i < 6; i++) {
            assertClose(expected[i], out[i], 1e-7, "element " + i);
        }
    }

    @Test
    void aJsonRequestMayAskForABinaryAnswer() {
        HttpResponse<byte[]> response = server.send(server.request("/api/kernels/square/process")
                .header("Content-Type", "application/json").header("Accept", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\":[{\"shape\":[2,1],\"data\":[3,-0.5]}]}"))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertEquals("2,1", response.headers().firstValue("X-Shape").orElse(""));
        float[] out = floats(response.body());
        assertEquals(2, out.length);
        assertEquals(9f, out[0]);
        assertEquals(0.25f, out[1]);
    }

    @Test
    void anErrorIsJsonEvenWhenABinaryAnswerIsAccepted() {
        assertError(server.send(binary("/api/kernels/square/process?shape=2,3", new float[5])
                .header("Accept", "application/octet-stream")), 400, "invalid_input", "the body has 20 bytes");
    }

    @Test
    void aBodyShorterThanItsShapesIsRejectedWithBothLengths() {
        assertError(server.send(binary("/api/kernels/square/process?shape=2,3", new float[5])), 400, "invalid_input",
                "the body has 20 bytes but shapes 2,3 need 24");
    }

    @Test
    void aBinaryRequestWithoutShapesIsRejected() {
        assertError(server.send(binary("/api/kernels/square/process", SIX)), 400, "invalid_input",
                "needs the input shapes in the X-Shape header or the shape query parameter");
    }

    @Test
    void aNegativeDimensionIsRejectedNamingTheShape() {
        assertError(server.send(binary("/api/kernels/square/process", SIX).header("X-Shape", "-2,3")), 400,
                "invalid_input", "shape '-2,3': dimension '-2' must be a whole number of at least 1");
    }

    @Test
    void aParamThatIsNoNumberIsRejectedNamingIt() {
        float[] eight = new float[] {1, 2, 3, 4, 5, 6, 7, 8};
        assertError(server.send(binary("/api/kernels/saxpy/process?shape=4;4&alpha=lots", eight)), 400,
                "invalid_input", "param alpha must be a number, got 'lots'");
    }

    @Test
    void anUnknownQueryParamIsAnUnknownKernelParam() {
        assertError(server.send(binary("/api/kernels/square/process?shape=6&gain=2", SIX)), 400, "invalid_input",
                "kernel 'square', param 'gain': unknown param; it takes none");
    }

    static HttpRequest.Builder binary(String pathAndQuery, float[] values) {
        return server.request(pathAndQuery).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(values)));
    }

    static byte[] bytes(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            buffer.putFloat(value);
        }
        return buffer.array();
    }

    static float[] floats(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.length / Float.BYTES];
        for (int i = 0; i < values.length; i++) {
            values[i] = buffer.getFloat();
        }
        return values;
    }

    private static double[] squares(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (double) x[i] * x[i];
        }
        return out;
    }
}
