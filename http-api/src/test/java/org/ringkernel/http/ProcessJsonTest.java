package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.http.TestServer.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /api/kernels/{id}/process} with JSON: each built-in answers random inputs (never zeros) with
 * the values a float64 reference computes, within float32 rounding.
 */
@ExtendWith(SharedServer.class)
class ProcessJsonTest {
    private static TestServer server;
    private final Random random = new Random(42);

    @BeforeAll
    static void startServer(TestServer shared) {
        server = shared;
    }

    @Test
    void squareAnswersEachElementSquared() {
        float[] x = randoms(7);
        JsonNode body = process("square", "{\"inputs\":[" + tensor(new int[] {7}, x) + "]}");
        assertOutput(body, new int[] {7}, map(x, v -> v * v), 1e-6);
        assertEquals("cpu", body.get("backend").asText());
        assertFalse(body.has("node"), "only a cluster names the node that computed it: " + body);
        JsonNode timing = body.get("timing");
        for (String field : new String[] {"queue_us", "ring_us", "kernel_us", "total_us", "batch_size"}) {
            assertTrue(timing.get(field).isNumber(), "timing." + field + " in " + body);
        }
        assertEquals("ring", timing.get("path").asText(), "the CPU loop computes on the ring");
    }

    @Test
    void matmulMultipliesATwoByThreeByAThreeByTwo() {
        float[] a = randoms(6);
        float[] b = randoms(6);
        JsonNode body = process("matmul", "{\"inputs\":[" + tensor(new int[] {2, 3}, a) + ","
                + tensor(new int[] {3, 2}, b) + "]}");
        double[] c = new double[4];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                for (int p = 0; p < 3; p++) {
                    c[i * 2 + j] += (double) a[i * 3 + p] * b[p * 2 + j];
                }
            }
        }
        assertOutput(body, new int[] {2, 2}, c, 1e-5);
    }

    @Test
    void saxpyTakesAlphaFromTheParams() {
        float[] x = randoms(5);
        float[] y = randoms(5);
        JsonNode body = process("saxpy", "{\"inputs\":[" + tensor(new int[] {5}, x) + "," + tensor(new int[] {5}, y)
                + "],\"params\":{\"alpha\":2.5}}");
        double[] expected = new double[5];
        for (int i = 0; i < 5; i++) {
            expected[i] = 2.5 * x[i] + y[i];
        }
        assertOutput(body, new int[] {5}, expected, 1e-5);
    }

    @Test
    void saxpyWithoutParamsUsesAlphaOne() {
        float[] x = randoms(3);
        float[] y = randoms(3);
        JsonNode body = process("saxpy", "{\"inputs\":[" + tensor(new int[] {3}, x) + "," + tensor(new int[] {3}, y)
                + "]}");
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
            expected[i] = (double) x[i] + y[i];
        }
        assertOutput(body, new int[] {3}, expected, 1e-5);
    }

    @Test
    void layerNormTakesGammaAndBetaAsOptionalInputs() {
        float[] x = randoms(8);
        float[] gamma = randoms(4);
        float[] beta = randoms(4);
        String xJson = tensor(new int[] {2, 4}, x);
        assertOutput(process("layer_norm", "{\"inputs\":[" + xJson + "]}"), new int[] {2, 4},
                layerNorm(x, null, null, 1e-5), 1e-4);
        assertOutput(process("layer_norm", "{\"inputs\":[" + xJson + "," + tensor(new int[] {4}, gamma) + "]}"),
                new int[] {2, 4}, layerNorm(x, gamma, null, 1e-5), 1e-4);
        assertOutput(process("layer_norm", "{\"inputs\":[" + xJson + "," + tensor(new int[] {4}, gamma) + ","
                        + tensor(new int[] {4}, beta) + "],\"params\":{\"eps\":0.001}}"),
                new int[] {2, 4}, layerNorm(x, gamma, beta, 1e-3), 1e-4);
    }

    @Test
    void statsAnswersCountSumMeanStdMinMax() {
        float[] x = randoms(10);
        double sum = 0;
        for (float v : x) {
            sum += v;
        }
        double mean = sum / x.length;
        double squares = 0;
        for (float v : x) {
            squares += (v - mean) * (v - mean);
        }
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (float v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        String input = tensor(new int[] {2, 5}, x);
        assertOutput(process("stats", "{\"inputs\":[" + input + "]}"), new int[] {6},
                new double[] {10, sum, mean, Math.sqrt(squares / 10), min, max}, 1e-5);
        assertOutput(process("stats", "{\"inputs\":[" + input + "],\"params\":{\"ddof\":1}}"), new int[] {6},
                new double[] {10, sum, mean, Math.sqrt(squares / 9), min, max}, 1e-5);
    }

    @Test
    void aShapeLessInputIsOneDimensional() {
        JsonNode body = process("square", "{\"inputs\":[{\"data\":[1.5,-2,3]}]}");
        assertOutput(body, new int[] {3}, new double[] {2.25, 4, 9}, 1e-7);
    }

    private static JsonNode process(String kernel, String json) {
        HttpResponse<String> response = server.postJson("/api/kernels/" + kernel + "/process", json);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        return json(response);
    }

    /** Asserts the one output's shape and every element by relative error (absolute below 1). */
    static void assertOutput(JsonNode body, int[] shape, double[] expected, double tolerance) {
        JsonNode outputs = body.get("outputs");
        assertEquals(1, outputs.size(), body.toString());
        JsonNode output = outputs.get(0);
        int[] actualShape = new int[output.get("shape").size()];
        for (int axis = 0; axis < actualShape.length; axis++) {
            actualShape[axis] = output.get("shape").get(axis).asInt();
        }
        assertArrayEquals(shape, actualShape, body.toString());
        JsonNode data = output.get("data");
        assertEquals(expected.length, data.size(), body.toString());
        for (int i = 0; i < expected.length; i++) {
            assertTrue(data.get(i).isNumber(), "element " + i + " of " + body);
            assertClose(expected[i], data.get(i).asDouble(), tolerance, "element " + i);
        }
    }

    static void assertClose(double expected, double actual, double tolerance, String what) {
        double error = Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
        assertTrue(error <= tolerance, what + ": expected " + expected + ", got " + actual);
    }

    /** Random values in [-10, -0.5] ∪ [0.5, 10]: never zero, so an unwritten element shows. */
    float[] randoms(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            float magnitude = 0.5f + random.nextFloat() * 9.5f;
            values[i] = random.nextBoolean() ? magnitude : -magnitude;
        }
        return values;
    }

    static String tensor(int[] shape, float[] data) {
        String dims = Arrays.stream(shape).mapToObj(String::valueOf).collect(Collectors.joining(","));
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < data.length; i++) {
            values.append(i == 0 ? "" : ",").append(data[i]);
        }
        return "{\"shape\":[" + dims + "],\"data\":[" + values + "]}";
    }

    private static double[] map(float[] x, java.util.function.DoubleUnaryOperator f) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = f.applyAsDouble(x[i]);
        }
        return out;
    }

    private static double[] layerNorm(float[] x, float[] gamma, float[] beta, double eps) {
        int n = 4;
        double[] y = new double[x.length];
        for (int row = 0; row < x.length / n; row++) {
            double mean = 0;
            for (int j = 0; j < n; j++) {
                mean += x[row * n + j];
            }
            mean /= n;
            double variance = 0;
            for (int j = 0; j < n; j++) {
                variance += (x[row * n + j] - mean) * (x[row * n + j] - mean);
            }
            variance /= n;
            for (int j = 0; j < n; j++) {
                double value = (x[row * n + j] - mean) / Math.sqrt(variance + eps);
                y[row * n + j] = value * (gamma == null ? 1 : gamma[j]) + (beta == null ? 0 : beta[j]);
            }
        }
        return y;
    }
}
