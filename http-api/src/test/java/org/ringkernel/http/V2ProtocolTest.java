package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.http.TestServer.awaitTrue;
import static org.ringkernel.http.TestServer.json;
import static org.ringkernel.http.V2Assertions.assertV2Error;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.kernel.CpuKernel;
import org.ringkernel.bridge.kernel.InputValues;
import org.ringkernel.bridge.kernel.KernelCall;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelSignature;
import org.ringkernel.bridge.kernel.TensorSpec;

/**
 * The inference protocol's HTTP routes with a real client: inference of the built-ins against a float64
 * reference, flat and nested data, requested outputs, server and model metadata and readiness, and each way a
 * request can be wrong, answered {@code {"error":"…"}} with the protocol's status.
 */
class V2ProtocolTest {
    private static final int MAX_ELEMENTS = 64;
    private static TestServer server;
    private final Random random = new Random(14);

    @BeforeAll
    static void startServer() {
        server = TestServer.start("""
                ringkernel {
                  kernels.start = [square, saxpy, matmul]
                  http.max-elements-per-input = %d
                }
                """.formatted(MAX_ELEMENTS));
        server.kernels().register(pairDefinition());
        awaitTrue(() -> server.get("/v2/health/ready").statusCode() == 200, "every kernel is active");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void squareAnswersEachElementSquaredAndEchoesTheId() {
        float[] x = randoms(7);
        JsonNode body = infer("square", "{\"id\":\"req-7\",\"inputs\":[" + input("x", new int[] {7}, x) + "]}");

        assertEquals("square", body.get("model_name").asText());
        assertEquals("1", body.get("model_version").asText());
        assertEquals("req-7", body.get("id").asText());
        assertEquals(1, body.get("outputs").size(), body.toString());
        double[] expected = IntStream.range(0, x.length).mapToDouble(i -> (double) x[i] * x[i]).toArray();
        assertOutput(body.get("outputs").get(0), "y", new int[] {7}, expected, 1e-6);
    }

    @Test
    void saxpyTakesAlphaFromTheParametersOnTheVersionedRoute() {
        float[] x = randoms(5);
        float[] y = randoms(5);
        JsonNode body = infer("/v2/models/saxpy/versions/1/infer", "{\"parameters\":{\"alpha\":2.5},\"inputs\":["
                + input("x", new int[] {5}, x) + "," + input("y", new int[] {5}, y) + "]}");

        assertFalse(body.has("id"), "no id was sent, none is echoed: " + body);
        double[] expected = IntStream.range(0, x.length).mapToDouble(i -> 2.5 * x[i] + y[i]).toArray();
        assertOutput(body.get("outputs").get(0), "out", new int[] {5}, expected, 1e-6);
    }

    @Test
    void matmulMultipliesByTheShapesGiven() {
        float[] a = randoms(6);
        float[] b = randoms(6);
        JsonNode body = infer("matmul", "{\"inputs\":[" + input("a", new int[] {2, 3}, a) + ","
                + input("b", new int[] {3, 2}, b) + "]}");

        assertOutput(body.get("outputs").get(0), "c", new int[] {2, 2}, matmul(a, b), 1e-5);
    }

    @Test
    void nestedDataIsRowMajorAsFlatDataIs() {
        float[] a = randoms(6);
        float[] b = randoms(6);
        String nestedA = "[[" + join(a, 0, 3) + "],[" + join(a, 3, 6) + "]]";
        String nestedB = "[[" + join(b, 0, 2) + "],[" + join(b, 2, 4) + "],[" + join(b, 4, 6) + "]]";
        JsonNode body = infer("matmul", "{\"inputs\":[{\"name\":\"a\",\"shape\":[2,3],\"datatype\":\"FP32\",\"data\":"
                + nestedA + "},{\"name\":\"b\",\"shape\":[3,2],\"datatype\":\"FP32\",\"data\":" + nestedB + "}]}");

        assertOutput(body.get("outputs").get(0), "c", new int[] {2, 2}, matmul(a, b), 1e-5);
    }

    @Test
    void onlyTheRequestedOutputsAreAnswered() {
        String inputs = "\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[1.5,-3]}]";

        JsonNode all = infer("pair", "{" + inputs + "}");
        assertEquals(2, all.get("outputs").size(), all.toString());
        assertOutput(all.get("outputs").get(0), "doubled", new int[] {2}, new double[] {3, -6}, 0);
        assertOutput(all.get("outputs").get(1), "negated", new int[] {2}, new double[] {-1.5, 3}, 0);

        // As tritonclient sends it: binary_data on every requested output; the answer is JSON either way.
        JsonNode one = infer("pair", "{" + inputs + ",\"outputs\":[{\"name\":\"negated\","
                + "\"parameters\":{\"binary_data\":false}}]}");
        assertEquals(1, one.get("outputs").size(), one.toString());
        assertOutput(one.get("outputs").get(0), "negated", new int[] {2}, new double[] {-1.5, 3}, 0);
    }

    @Test
    void aNonFiniteOutputIsWrittenAsTheApiWritesIt() {
        String data = "[1e30,2]";
        JsonNode v2 = infer("square", "{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":"
                + data + "}]}");
        HttpResponse<String> api = server.postJson("/api/kernels/square/process",
                "{\"inputs\":[{\"shape\":[2],\"data\":" + data + "}]}");

        JsonNode values = v2.get("outputs").get(0).get("data");
        assertEquals("\"Infinity\"", values.get(0).toString(), v2.toString());
        assertEquals(json(api).get("outputs").get(0).get("data"), values);
    }

    @Test
    void theServerIsDescribedLiveAndReady() {
        JsonNode metadata = json(get("/v2"));
        assertEquals("ringkernel", metadata.get("name").asText());
        assertFalse(metadata.get("version").asText().isBlank(), metadata.toString());
        assertTrue(metadata.get("extensions").isArray() && metadata.get("extensions").isEmpty(), metadata.toString());

        assertEquals("{\"live\":true}\n", get("/v2/health/live"));
        assertEquals("{\"ready\":true}\n", get("/v2/health/ready"));
        assertEquals("{\"name\":\"square\",\"ready\":true}\n", get("/v2/models/square/ready"));
        assertEquals("{\"name\":\"square\",\"ready\":true}\n", get("/v2/models/square/versions/1/ready"));
    }

    @Test
    void aModelsMetadataComesFromItsSignature() {
        JsonNode matmul = json(get("/v2/models/matmul"));
        assertEquals("matmul", matmul.get("name").asText());
        assertEquals("[\"1\"]", matmul.get("versions").toString());
        assertEquals("ringkernel", matmul.get("platform").asText());
        assertEquals("[{\"name\":\"a\",\"datatype\":\"FP32\",\"shape\":[-1,-1]},"
                + "{\"name\":\"b\",\"datatype\":\"FP32\",\"shape\":[-1,-1]}]", matmul.get("inputs").toString());
        assertEquals("[{\"name\":\"c\",\"datatype\":\"FP32\",\"shape\":[-1,-1]}]", matmul.get("outputs").toString());
        assertEquals(matmul, json(get("/v2/models/matmul/versions/1")));

        JsonNode saxpy = json(get("/v2/models/saxpy"));
        assertEquals("[{\"name\":\"out\",\"datatype\":\"FP32\",\"shape\":[-1]}]", saxpy.get("outputs").toString());
    }

    @Test
    void anUnknownModelOrVersionIs404() {
        assertV2Error(server.get("/v2/models/conv2d"), 404, "no kernel 'conv2d'", "square");
        assertV2Error(server.get("/v2/models/conv2d/ready"), 404, "no kernel 'conv2d'");
        assertV2Error(server.postJson("/v2/models/conv2d/infer", "{not json"), 404, "no kernel 'conv2d'");
        assertV2Error(server.get("/v2/models/square/versions/2"), 404, "model 'square' has no version '2'; its one "
                + "version is 1");
        assertV2Error(server.postJson("/v2/models/square/versions/2/infer", "{}"), 404, "has no version '2'");
    }

    @Test
    void aRequestThatDoesNotFitTheModelIs400NamingWhy() {
        assertV2Error(inferResponse("square", "{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"INT32\","
                + "\"data\":[1,2]}]}"), 400, "input 'x' has datatype INT32; kernels take FP32");
        assertV2Error(inferResponse("square", "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,3],\"datatype\":\"FP32\","
                + "\"data\":[1,2,3,4,5]}]}"), 400, "input 'x' has shape [2, 3] (6 elements) but 5 values");
        assertV2Error(inferResponse("square", "{\"parameters\":{\"beta\":1},\"inputs\":[" + x() + "]}"), 400,
                "model 'square' has no parameter 'beta'; its parameters are none");
        assertV2Error(inferResponse("saxpy", "{\"parameters\":{\"alpha\":\"two\"},\"inputs\":[" + x() + ","
                + x().replace("\"x\"", "\"y\"") + "]}"), 400, "parameter 'alpha' is \"two\", not a number");
        assertV2Error(inferResponse("square", "{\"inputs\":[" + x().replace("\"x\"", "\"z\"") + "]}"), 400,
                "model 'square' has no input 'z'; its inputs are x");
        assertV2Error(inferResponse("square", "{\"inputs\":[" + x() + "],\"outputs\":[{\"name\":\"z\"}]}"), 400,
                "model 'square' has no output 'z'; its outputs are y");
    }

    @Test
    void malformedJsonWrongTypesAndMissingFieldsAre400NamingTheField() {
        assertV2Error(inferResponse("square", "{\"inputs\":["), 400,
                "JSON ends early at line 1, column 12 (in inputs): the array opened at line 1, column 11 is not closed");
        assertV2Error(inferResponse("square", ""), 400, "the request body is empty");
        assertV2Error(inferResponse("square", "{}"), 400, "missing field 'inputs'");
        assertV2Error(inferResponse("square", "{\"input\":[]}"), 400, "unknown field 'input'");
        assertV2Error(inferResponse("square", "{\"inputs\":[" + x() + "],\"inputs\":[]}"), 400,
                "duplicate field 'inputs'");
        assertV2Error(inferResponse("square", "{\"inputs\":[{\"name\":\"x\",\"shape\":\"2\",\"datatype\":\"FP32\","
                + "\"data\":[1,2]}]}"), 400, "inputs[0].shape must be an array, got the string \"2\"");
        assertV2Error(inferResponse("square", "{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"FP32\","
                + "\"data\":[1,\"2\"]}]}"), 400, "inputs[0].data[1] must be a number, got the string \"2\"");
        assertV2Error(inferResponse("square", "{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"data\":[1,2]}]}"), 400,
                "inputs[0] has no datatype");
        assertV2Error(inferResponse("square", "{\"inputs\":[{\"name\":7,\"shape\":[2],\"datatype\":\"FP32\","
                + "\"data\":[1,2]}]}"), 400, "inputs[0].name must be a string, got 7");
        assertV2Error(inferResponse("square", "{\"id\":1,\"inputs\":[" + x() + "]}"), 400, "id must be a string");
        assertV2Error(inferResponse("square", "{\"inputs\":[{\"name\":\"x\",\"shape\":[4],\"datatype\":\"FP32\","
                + "\"data\":[[1,2],[3,4]]}]}"), 400, "inputs[0].data is nested as [2, 2] but its shape is [4]");
        assertV2Error(inferResponse("square", "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,2],\"datatype\":\"FP32\","
                + "\"data\":[[1,2],[3]]}]}"), 400, "inputs[0].data[1] has 1 elements where the other arrays");
        assertV2Error(inferResponse("square", "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,2],\"datatype\":\"FP32\","
                + "\"data\":[[1,2],3]}]}"), 400, "inputs[0].data[1] mixes numbers and arrays");
        assertV2Error(inferResponse("square", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\","
                + "\"data\":[1],\"parameters\":{\"binary_data_size\":4}}]}"), 400, "inputs take no parameters");
        assertV2Error(inferResponse("square", "{\"inputs\":[" + x() + "],\"outputs\":[{\"name\":\"y\","
                + "\"parameters\":{\"classification\":2}}]}"), 400, "outputs[0] has parameter 'classification'");
        assertV2Error(inferResponse("square", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\","
                + "\"data\":[1e39]}]}"), 400, "inputs[0].data[0] is 1e39, outside the float32 range");
    }

    @Test
    void anInputOverTheElementLimitIs413() {
        String data = IntStream.range(0, MAX_ELEMENTS + 1).mapToObj(Integer::toString).collect(Collectors.joining(","));
        assertV2Error(inferResponse("square", "{\"inputs\":[{\"name\":\"x\",\"shape\":[" + (MAX_ELEMENTS + 1)
                + "],\"datatype\":\"FP32\",\"data\":[" + data + "]}]}"), 413, "inputs[0] has more than " + MAX_ELEMENTS
                + " elements, the limit of ringkernel.http.max-elements-per-input");
    }

    @Test
    void pathsMethodsAndBinaryDataTheProtocolRoutesDoNotTakeAreAnsweredInItsForm() {
        assertV2Error(server.get("/v2/models"), 404, "no route for /v2/models", "/v2/models/{name}/infer");
        HttpResponse<String> wrongMethod = server.send(server.request("/v2/models/square/infer").GET());
        assertV2Error(wrongMethod, 405, "this path takes POST");
        assertEquals("POST", wrongMethod.headers().firstValue("Allow").orElse(""));
        assertV2Error(server.send(server.request("/v2/models/square/infer")
                .header("Content-Type", "application/octet-stream").header("Inference-Header-Content-Length", "10")
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\":[]}"))), 400,
                "binary tensor data (Inference-Header-Content-Length) is not supported");
    }

    private static String get(String path) {
        HttpResponse<String> response = server.get(path);
        assertEquals(200, response.statusCode(), path + " -> " + response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""), path);
        return response.body();
    }

    private static JsonNode infer(String modelOrPath, String body) {
        HttpResponse<String> response = inferResponse(modelOrPath, body);
        assertEquals(200, response.statusCode(), response.body());
        return json(response);
    }

    private static HttpResponse<String> inferResponse(String modelOrPath, String body) {
        return server.postJson(modelOrPath.startsWith("/") ? modelOrPath : "/v2/models/" + modelOrPath + "/infer",
                body);
    }

    private static String x() {
        return "{\"name\":\"x\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[1,2]}";
    }

    private static String input(String name, int[] shape, float[] data) {
        return "{\"name\":\"" + name + "\",\"shape\":" + Arrays.toString(shape) + ",\"datatype\":\"FP32\",\"data\":["
                + join(data, 0, data.length) + "]}";
    }

    private static String join(float[] values, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> Float.toString(values[i])).collect(Collectors.joining(","));
    }

    private static void assertOutput(JsonNode output, String name, int[] shape, double[] expected, double tolerance) {
        assertEquals(name, output.get("name").asText(), output.toString());
        assertEquals("FP32", output.get("datatype").asText(), output.toString());
        assertEquals(Arrays.toString(shape).replace(" ", ""), output.get("shape").toString());
        JsonNode data = output.get("data");
        assertEquals(expected.length, data.size(), output.toString());
        for (int i = 0; i < expected.length; i++) {
            double allowed = tolerance * Math.max(1, Math.abs(expected[i]));
            assertEquals(expected[i], data.get(i).asDouble(), allowed, name + "[" + i + "] of " + output);
        }
    }

    private static double[] matmul(float[] a, float[] b) {
        double[] c = new double[4];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                for (int p = 0; p < 3; p++) {
                    c[i * 2 + j] += (double) a[i * 3 + p] * b[p * 2 + j];
                }
            }
        }
        return c;
    }

    private float[] randoms(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (random.nextFloat() * 2 - 1) * 10 + (random.nextBoolean() ? 0.5f : -0.5f);
        }
        return values;
    }

    /** {@code doubled = 2x} and {@code negated = -x}: a model of two outputs, to ask for one of them. */
    private static KernelDefinition pairDefinition() {
        KernelSignature signature = new KernelSignature(List.of(TensorSpec.required("x", "any shape")),
                List.of(TensorSpec.required("doubled", "same as x"), TensorSpec.required("negated", "same as x")),
                List.of(), InputValues.FINITE, check -> new int[][] {check.shape(0), check.shape(0)});
        return new KernelDefinition("pair", "2x and -x", signature, new Pair(), Optional.empty(), true);
    }

    private static final class Pair implements CpuKernel {
        @Override
        public void execute(KernelCall call) {
            FloatBuffer in = call.input(0);
            FloatBuffer doubled = call.output(0);
            FloatBuffer negated = call.output(1);
            for (int i = 0; i < in.limit(); i++) {
                doubled.put(i, 2 * in.get(i));
                negated.put(i, -in.get(i));
            }
        }
    }
}
