package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ringkernel.http.ApiAssertions.assertError;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The errors of the outside contract that need no special configuration: 400 naming what was wrong, 404,
 * 405 with {@code Allow}, 415; each a JSON {@code {"error":{"code","message"}}} without a stack trace.
 */
@ExtendWith(SharedServer.class)
class ErrorResponsesTest {
    private static final String PROCESS = "/api/kernels/%s/process";
    private static TestServer server;

    @BeforeAll
    static void startServer(TestServer shared) {
        server = shared;
    }

    private static HttpResponse<String> process(String kernel, String json) {
        return server.postJson(PROCESS.formatted(kernel), json);
    }

    @Test
    void mismatchedShapesNameTheInput() {
        assertError(process("saxpy", "{\"inputs\":[{\"shape\":[3],\"data\":[1,2,3]},{\"shape\":[4],\"data\":[1,2,3,4]}]}"),
                400, "invalid_input", "kernel 'saxpy', input 'y'", "expected the shape of input 'x' [3], got [4]");
    }

    @Test
    void matmulNamesTheDimensionThatDoesNotFit() {
        assertError(process("matmul", "{\"inputs\":[{\"shape\":[2,3],\"data\":[1,2,3,4,5,6]},"
                        + "{\"shape\":[2,2],\"data\":[1,2,3,4]}]}"),
                400, "invalid_input", "kernel 'matmul', input 'b'", "(the columns of 'a')");
    }

    @Test
    void aNumberOutsideTheFloat32RangeIsNamed() {
        assertError(process("square", "{\"inputs\":[{\"shape\":[2],\"data\":[1,1e39]}]}"), 400, "invalid_input",
                "inputs[0].data[1] is 1e39, outside the float32 range");
    }

    @Test
    void aRequestWithoutInputsIsRejected() {
        assertError(process("square", "{\"params\":{}}"), 400, "invalid_input", "missing field 'inputs'");
    }

    @Test
    void tooFewInputsNameTheInputsTheKernelTakes() {
        assertError(process("saxpy", "{\"inputs\":[{\"data\":[1,2]}]}"), 400, "invalid_input",
                "kernel 'saxpy': expected 2 inputs (x, y), got 1");
    }

    @Test
    void wrongTypesNameTheField() {
        assertError(process("square", "{\"inputs\":{\"data\":[1]}}"), 400, "invalid_input",
                "inputs must be an array, got an object");
        assertError(process("square", "{\"inputs\":[{\"data\":\"1,2\"}]}"), 400, "invalid_input",
                "inputs[0].data must be an array, got the string \"1,2\"");
        assertError(process("square", "{\"inputs\":[{\"data\":[1,\"two\"]}]}"), 400, "invalid_input",
                "inputs[0].data[1] must be a number, got the string \"two\"");
        assertError(process("square", "{\"inputs\":[{\"shape\":[2.5],\"data\":[1,2]}]}"), 400, "invalid_input",
                "inputs[0].shape[0] must be a whole number of at least 1, got 2.5");
        assertError(process("saxpy", "{\"inputs\":[{\"data\":[1]},{\"data\":[2]}],\"params\":{\"alpha\":true}}"),
                400, "invalid_input", "params.alpha must be a number, got true");
    }

    @Test
    void aNegativeDimensionIsRejected() {
        assertError(process("square", "{\"inputs\":[{\"shape\":[-3],\"data\":[1,2,3]}]}"), 400, "invalid_input",
                "inputs[0].shape[0] must be at least 1, got -3");
    }

    @Test
    void dataThatDoesNotFillItsShapeIsRejectedWithBothCounts() {
        assertError(process("square", "{\"inputs\":[{\"shape\":[2,2],\"data\":[1,2,3]}]}"), 400, "invalid_input",
                "inputs[0]: shape [2, 2] holds 4 elements but data has 3");
    }

    @Test
    void anUnknownParamNamesTheParamsTheKernelTakes() {
        assertError(process("saxpy", "{\"inputs\":[{\"data\":[1]},{\"data\":[2]}],\"params\":{\"beta\":2}}"), 400,
                "invalid_input", "kernel 'saxpy', param 'beta': unknown param; it takes alpha");
    }

    @Test
    void aParamOutOfItsRangeIsRejected() {
        assertError(process("stats", "{\"inputs\":[{\"data\":[1,2]}],\"params\":{\"ddof\":2}}"), 400,
                "invalid_input", "kernel 'stats', param 'ddof': expected a whole number in [0, 1], got 2.0");
    }

    @Test
    void aJsonRequestWithQueryParamsIsRejected() {
        assertError(server.postJson(PROCESS.formatted("saxpy") + "?alpha=2", "{\"inputs\":[{\"data\":[1]},{\"data\":[2]}]}"),
                400, "invalid_input", "a JSON request carries its params in the body, not the query (alpha)");
    }

    @Test
    void anUnknownKernelIs404NamingTheKnownOnes() {
        for (HttpResponse<String> response : List.of(process("cube", "{\"inputs\":[{\"data\":[1]}]}"),
                server.get("/api/kernels/cube"))) {
            assertError(response, 404, "unknown_kernel", "no kernel 'cube'", "the kernels are add, attention, echo, layer_norm");
        }
    }

    @Test
    void anUnknownPathIs404() {
        assertError(server.get("/api/nothing/here"), 404, "not_found", "no route for /api/nothing/here");
        assertError(server.get("/nothing"), 404, "not_found", "no route for /nothing", "/api/status");
    }

    @Test
    void getOnProcessIs405AllowingPost() {
        HttpResponse<String> response = server.get(PROCESS.formatted("square"));
        assertError(response, 405, "method_not_allowed", "this path takes POST");
        assertEquals("POST", response.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void postOnHealthIs405AllowingGet() {
        HttpResponse<String> response = server.send(server.request("/health").POST(HttpRequest.BodyPublishers.noBody()));
        assertError(response, 405, "method_not_allowed", "this path takes GET");
        assertEquals("GET", response.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void deleteOnAKernelIs405AllowingGet() {
        HttpResponse<String> response = server.send(server.request("/api/kernels/square").DELETE());
        assertError(response, 405, "method_not_allowed", "this path takes GET");
        assertEquals("GET", response.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void plainTextOnProcessIs415() {
        assertError(server.post(PROCESS.formatted("square"), "text/plain", "1,2,3"), 415, "unsupported_media_type",
                "expected Content-Type application/json", "application/octet-stream", ", got text/plain");
    }

    @Test
    void aWrongTypeOnStreamIs415() {
        assertError(server.post("/api/kernels/square/stream", "text/csv", "1,2,3\n"), 415, "unsupported_media_type",
                "expected Content-Type application/x-ndjson, got text/csv");
    }
}
