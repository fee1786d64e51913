package org.ringkernel.http.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.http.ApiAssertions.assertError;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ringkernel.http.SharedServer;
import org.ringkernel.http.TestServer;
import org.ringkernel.http.arrow.ArrowStreams.Column;

/**
 * {@code POST /api/kernels/{id}/process} with Arrow IPC streams over HTTP: random inputs (never zero) through the
 * kernels, answered as a stream compared with float64 references within float32 rounding.
 */
@ExtendWith(SharedServer.class)
class ArrowProcessTest {
    static final String ARROW = ArrowStreamFormat.MEDIA_TYPE;
    private static final ArrowType FLOAT32 = new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
    private static final ArrowType FLOAT64 = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);

    private static TestServer server;
    private final Random random = new Random(17);

    @BeforeAll
    static void startServer(TestServer shared) {
        server = shared;
    }

    /** 1 row, an odd count, and a column of several chunks (the kernel's chunks are at most 65,536 rows). */
    @ParameterizedTest
    @ValueSource(ints = {1, 1001, 300_000})
    void squareAnswersEachRowSquared(int rows) {
        float[] x = randoms(rows);
        HttpResponse<byte[]> response = post("square", "", ArrowStreams.write(Column.float32("values", x)));
        assertEquals(200, response.statusCode());
        assertEquals(ARROW, response.headers().firstValue("Content-Type").orElse(""));
        ArrowStreams.Read answer = ArrowStreams.read(response.body());
        assertEquals("y", answer.field().getName(), "the column is named after the kernel's output, square(x) -> y");
        assertEquals(FLOAT32, answer.field().getType());
        assertEquals(1, answer.batches().size());
        double[] expected = new double[rows];
        for (int i = 0; i < rows; i++) {
            expected[i] = (double) x[i] * x[i];
        }
        assertClose(expected, answer.batches().get(0), 1e-6);
    }

    @Test
    void saxpyMapsColumnsByNameAndTakesAlphaFromTheQuery() {
        float[] x = randoms(333);
        float[] y = randoms(333);
        // y first: the names, not the positions, say which input each column is.
        byte[] body = ArrowStreams.write(Column.float32("y", y), Column.float32("x", x));
        HttpResponse<byte[]> response = post("saxpy", "?alpha=-2.5", body);
        assertEquals(200, response.statusCode(), () -> new String(response.body()));
        double[] expected = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            expected[i] = -2.5 * x[i] + y[i];
        }
        assertClose(expected, ArrowStreams.read(response.body()).batches().get(0), 1e-5);
    }

    @Test
    void columnsNotNamedAfterTheInputsMapByPosition() {
        float[] a = randoms(40);
        float[] b = randoms(40);
        HttpResponse<byte[]> response = post("saxpy", "?alpha=3",
                ArrowStreams.write(Column.float32("first", a), Column.float32("second", b)));
        double[] expected = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            expected[i] = 3.0 * a[i] + b[i];
        }
        assertClose(expected, ArrowStreams.read(response.body()).batches().get(0), 1e-5);
    }

    @Test
    void nullRowsStayNullThroughAnElementWiseKernel() {
        Double[] values = new Double[1001];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 3 == 0 ? null : (double) randoms(1)[0];
        }
        HttpResponse<byte[]> response = post("square", "", ArrowStreams.write(new Column("x", false, values)));
        assertEquals(200, response.statusCode(), () -> new String(response.body()));
        Double[] out = ArrowStreams.read(response.body()).batches().get(0);
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                assertNull(out[i], "row " + i + " is null in the input");
            } else {
                assertClose(values[i] * values[i], out[i], 1e-6, "row " + i);
            }
        }
    }

    @Test
    void float64ColumnsAreAnsweredInFloat64() {
        double[] x = new double[777];
        for (int i = 0; i < x.length; i++) {
            x[i] = (random.nextDouble() * 2 - 1) * 1e3;
        }
        HttpResponse<byte[]> response = post("square", "", ArrowStreams.write(Column.float64("x", x)));
        ArrowStreams.Read answer = ArrowStreams.read(response.body());
        assertEquals(FLOAT64, answer.field().getType());
        double[] expected = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            expected[i] = x[i] * x[i];
        }
        // Values go through the kernel as float32 (the stated precision policy).
        assertClose(expected, answer.batches().get(0), 1e-6);
    }

    @Test
    void eachBatchIsAnsweredByOneBatchInOrder() {
        int[] sizes = {5, 0, 70_000, 1};
        List<List<Column>> batches = new ArrayList<>();
        List<float[]> inputs = new ArrayList<>();
        for (int size : sizes) {
            float[] x = randoms(size);
            inputs.add(x);
            batches.add(List.of(Column.float32("x", x)));
        }
        HttpResponse<byte[]> response = post("square", "", ArrowStreams.write(batches));
        ArrowStreams.Read answer = ArrowStreams.read(response.body());
        assertEquals(sizes.length, answer.batches().size());
        for (int b = 0; b < sizes.length; b++) {
            float[] x = inputs.get(b);
            double[] expected = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                expected[i] = (double) x[i] * x[i];
            }
            assertClose(expected, answer.batches().get(b), 1e-6);
        }
    }

    @Test
    void aStreamWithoutBatchesIsAnsweredWithTheSchemaAlone() {
        HttpResponse<byte[]> response = post("saxpy", "",
                ArrowStreams.schemaOnly(Column.float64("x"), Column.float64("y")));
        assertEquals(200, response.statusCode(), () -> new String(response.body()));
        ArrowStreams.Read answer = ArrowStreams.read(response.body());
        assertEquals("out", answer.field().getName());
        assertEquals(FLOAT64, answer.field().getType());
        assertEquals(0, answer.batches().size());
    }

    @Test
    void aKernelTakingWholeColumnsGetsEachBatchWhole() {
        float[] x = randoms(1000);
        HttpResponse<byte[]> response = post("stats", "", ArrowStreams.write(Column.float32("x", x)));
        assertEquals(200, response.statusCode(), () -> new String(response.body()));
        Double[] stats = ArrowStreams.read(response.body()).batches().get(0);
        double sum = 0;
        for (float v : x) {
            sum += v;
        }
        assertEquals(x.length, stats[0], 0, "count");
        assertClose(sum, stats[1], 1e-4, "sum");
    }

    @Test
    void acceptMustTakeArrow() {
        byte[] body = ArrowStreams.write(Column.float32("x", 2f));
        for (String accept : List.of("*/*", "application/*", ARROW, "application/json;q=0.5, " + ARROW)) {
            assertEquals(200, send(request("square", "", body).header("Accept", accept)).statusCode(), accept);
        }
        HttpResponse<String> refused = server.send(request("square", "", body).header("Accept", "application/json"));
        assertError(refused, 406, "not_acceptable", ARROW + " request is answered in " + ARROW + " only",
                "Accept: application/json");
        assertEquals(406, server.send(request("square", "", body).header("Accept", ARROW + ";q=0")).statusCode());
    }

    @Test
    void anUnknownContentTypeIsToldEveryTypeTheRouteReads() {
        HttpResponse<String> response = server.post("/api/kernels/square/process", "text/csv", "1,2");
        assertError(response, 415, "unsupported_media_type",
                "application/json, application/octet-stream or " + ARROW, "got text/csv");
    }

    static HttpRequest.Builder request(String kernel, String query, byte[] body) {
        return server.request("/api/kernels/" + kernel + "/process" + query).header("Content-Type", ARROW)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    static HttpResponse<byte[]> post(String kernel, String query, byte[] body) {
        return send(request(kernel, query, body));
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder request) {
        return server.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private float[] randoms(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            float v;
            do {
                v = random.nextFloat() * 4 - 2;
            } while (v == 0);
            values[i] = v;
        }
        return values;
    }

    static void assertClose(double[] expected, Double[] actual, double relative) {
        assertEquals(expected.length, actual.length, "rows");
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], actual[i], relative, "row " + i);
        }
    }

    static void assertClose(double expected, Double actual, double relative, String what) {
        assertTrue(actual != null, what + " is null");
        assertEquals(expected, actual, relative * Math.max(1, Math.abs(expected)), what);
    }
}
