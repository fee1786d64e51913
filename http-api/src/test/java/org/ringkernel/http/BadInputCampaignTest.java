package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ringkernel.http.ApiAssertions.assertError;
import static org.ringkernel.http.ProcessBinaryTest.bytes;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed requests of every kind, each answered with the right 4xx and a JSON error naming what was wrong,
 * never a 500 or a stack trace; afterwards the server is healthy and computes a valid request.
 */
@ExtendWith(SharedServer.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputCampaignTest {
    private static final String SQUARE = "/api/kernels/square/process";
    private static TestServer server;

    @BeforeAll
    static void startServer(TestServer shared) {
        server = shared;
    }

    /** One malformed request and the answer it must get. */
    record Case(String name, String method, String path, Optional<String> contentType, byte[] body, int status,
                String code, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case json(String name, String path, String body, int status, String code, String message) {
        return new Case(name, "POST", path, Optional.of("application/json"), body.getBytes(StandardCharsets.UTF_8),
                status, code, message);
    }

    private static Case json(String name, String body, String message) {
        return json(name, SQUARE, body, 400, "invalid_input", message);
    }

    private static Case binary(String name, String pathAndQuery, byte[] body, int status, String code, String message) {
        return new Case(name, "POST", pathAndQuery, Optional.of("application/octet-stream"), body, status, code, message);
    }

    private static Case typed(String name, String contentType, String body, String message) {
        return new Case(name, "POST", SQUARE, Optional.of(contentType), body.getBytes(StandardCharsets.UTF_8), 415,
                "unsupported_media_type", message);
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        // Malformed JSON.
        cases.add(json("unterminated JSON", "{\"inputs\":[", "JSON ends early at line 1, column 12"));
        cases.add(json("trailing garbage", "{\"inputs\":[{\"data\":[1]}]} xyz",
                "unexpected content after the request object at line 1, column 27: 'xyz'"));
        cases.add(json("a second object after the request", "{\"inputs\":[{\"data\":[1]}]} {}",
                "unexpected content after the request object"));
        cases.add(json("single quotes", "{'inputs':[]}", "malformed JSON at line 1"));
        cases.add(json("a NaN literal", "{\"inputs\":[{\"data\":[NaN]}]}", "malformed JSON"));
        cases.add(json("an Infinity literal", "{\"inputs\":[{\"data\":[Infinity]}]}", "malformed JSON"));
        cases.add(new Case("invalid UTF-8", "POST", SQUARE, Optional.of("application/json"),
                new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}, 400, "invalid_input", "malformed JSON"));
        cases.add(json("an empty body", "", "the request body is empty"));
        // Wrong types everywhere.
        cases.add(json("an array as the request", "[1,2,3]", "the request must be an object, got an array"));
        cases.add(json("null as the request", "null", "the request must be an object, got null"));
        cases.add(json("a string as the request", "\"square me\"", "the request must be an object, got the string \"square me\""));
        cases.add(json("inputs as a string", "{\"inputs\":\"1,2\"}", "inputs must be an array, got the string \"1,2\""));
        cases.add(json("an input as an array", "{\"inputs\":[[1,2]]}", "inputs[0] must be an object, got an array"));
        cases.add(json("data as an object", "{\"inputs\":[{\"data\":{\"0\":1}}]}", "inputs[0].data must be an array, got an object"));
        cases.add(json("a null element", "{\"inputs\":[{\"data\":[null]}]}", "inputs[0].data[0] must be a number, got null"));
        cases.add(json("a nested array element", "{\"inputs\":[{\"data\":[1,[2]]}]}",
                "inputs[0].data[1] must be a number, got an array"));
        cases.add(json("a boolean element", "{\"inputs\":[{\"data\":[true]}]}", "inputs[0].data[0] must be a number, got true"));
        cases.add(json("a shape of strings", "{\"inputs\":[{\"shape\":[\"2\"],\"data\":[1,2]}]}",
                "inputs[0].shape[0] must be a whole number of at least 1, got 2"));
        cases.add(json("a shape as a number", "{\"inputs\":[{\"shape\":2,\"data\":[1,2]}]}",
                "inputs[0].shape must be an array, got 2"));
        cases.add(json("params as an array", "{\"inputs\":[{\"data\":[1]}],\"params\":[1]}", "params must be an object, got an array"));
        cases.add(json("a param as a string", "/api/kernels/saxpy/process",
                "{\"inputs\":[{\"data\":[1]},{\"data\":[2]}],\"params\":{\"alpha\":\"2\"}}", 400, "invalid_input",
                "params.alpha must be a number, got the string \"2\""));
        // Huge numbers.
        cases.add(json("1e39", "{\"inputs\":[{\"data\":[1e39]}]}", "inputs[0].data[0] is 1e39, outside the float32 range"));
        cases.add(json("-1e39", "{\"inputs\":[{\"data\":[2,-1e39]}]}", "inputs[0].data[1] is -1e39, outside the float32 range"));
        cases.add(json("a number of 100 digits", "{\"inputs\":[{\"data\":[" + "9".repeat(100) + "]}]}", 
                "a number (in inputs[0].data[0]) has more than 64 characters"));
        cases.add(json("a param of 1e39", "/api/kernels/saxpy/process",
                "{\"inputs\":[{\"data\":[1]},{\"data\":[2]}],\"params\":{\"alpha\":1e39}}", 400, "invalid_input",
                "kernel 'saxpy', param 'alpha': expected a finite float32 value, got 1.0E39"));
        cases.add(json("a param of 1e400", "/api/kernels/saxpy/process",
                "{\"inputs\":[{\"data\":[1]},{\"data\":[2]}],\"params\":{\"alpha\":1e400}}", 400, "invalid_input",
                "params.alpha is 1e400, too large"));
        // Shapes: negative, zero, empty, rank 5, huge.
        cases.add(json("a negative dimension", "{\"inputs\":[{\"shape\":[2,-1],\"data\":[1,2]}]}",
                "inputs[0].shape[1] must be at least 1, got -1"));
        cases.add(json("a zero dimension", "{\"inputs\":[{\"shape\":[0],\"data\":[]}]}", "inputs[0].shape[0] must be at least 1, got 0"));
        cases.add(json("an empty shape", "{\"inputs\":[{\"shape\":[],\"data\":[1]}]}", "inputs[0].shape is empty"));
        cases.add(json("rank 5", "{\"inputs\":[{\"shape\":[1,1,1,1,1],\"data\":[1]}]}", "inputs[0].shape has more than 4 dimensions"));
        cases.add(json("a dimension over the element limit", SQUARE, "{\"inputs\":[{\"shape\":[99999999],\"data\":[1]}]}",
                413, "too_large", "inputs[0] has more than 1048576 elements"));
        cases.add(json("a shape whose element count overflows", SQUARE,
                "{\"inputs\":[{\"shape\":[4194304,4194304,4194304,4194304],\"data\":[]}]}", 413, "too_large",
                "inputs[0] has more than 1048576 elements"));
        cases.add(json("data not filling the shape", "{\"inputs\":[{\"shape\":[3,2],\"data\":[1,2,3]}]}",
                "inputs[0]: shape [3, 2] holds 6 elements but data has 3"));
        // Empty and missing things.
        cases.add(json("no inputs field", "{}", "missing field 'inputs'"));
        cases.add(json("empty inputs", "{\"inputs\":[]}", "inputs is empty"));
        cases.add(json("an input without data", "{\"inputs\":[{\"shape\":[1]}]}", "inputs[0] has no data"));
        cases.add(json("an input with empty data", "{\"inputs\":[{\"data\":[]}]}", "inputs[0]"));
        // Unknown fields and too many inputs.
        cases.add(json("an unknown top-level field", "{\"inputs\":[{\"data\":[1]}],\"dtype\":\"f32\"}",
                "unknown field 'dtype'; a request has inputs and params"));
        cases.add(json("an unknown tensor field", "{\"inputs\":[{\"data\":[1],\"dtype\":\"f32\"}]}",
                "unknown field 'dtype' in inputs[0]; an input has shape and data"));
        cases.add(json("an unknown param", "{\"inputs\":[{\"data\":[1]}],\"params\":{\"gain\":2}}",
                "kernel 'square', param 'gain': unknown param; it takes none"));
        cases.add(json("two inputs to square", "{\"inputs\":[{\"data\":[1]},{\"data\":[2]}]}",
                "kernel 'square': expected 1 inputs (x), got 2"));
        cases.add(json("five inputs to layer_norm", "/api/kernels/layer_norm/process",
                "{\"inputs\":[{\"data\":[1]},{\"data\":[1]},{\"data\":[1]},{\"data\":[1]},{\"data\":[1]}]}", 400,
                "invalid_input", "kernel 'layer_norm': expected 1 to 3 inputs (x, gamma (optional), beta (optional)), got 5"));
        // Binary requests.
        cases.add(binary("a binary body one float short", SQUARE + "?shape=4", bytes(new float[3]), 400, "invalid_input",
                "the body has 12 bytes but shapes 4 need 16"));
        cases.add(binary("a binary shape that is no number", SQUARE + "?shape=a,b", bytes(new float[1]), 400,
                "invalid_input", "shape 'a,b': dimension 'a' must be a whole number of at least 1"));
        cases.add(binary("a binary shape of rank 5", SQUARE + "?shape=1,1,1,1,1", bytes(new float[1]), 400,
                "invalid_input", "shape '1,1,1,1,1' has more than 4 dimensions"));
        cases.add(binary("a binary dimension over int", SQUARE + "?shape=99999999999", bytes(new float[1]), 400,
                "invalid_input", "dimension '99999999999' must be a whole number of at least 1"));
        cases.add(binary("a huge binary shape", SQUARE + "?shape=100000,100000,100000", bytes(new float[1]), 413,
                "too_large", "has more than 1048576 elements"));
        cases.add(binary("a NaN in a binary body", SQUARE + "?shape=2", bytes(new float[] {Float.NaN, 1}), 400,
                "invalid_input", "kernel 'square', input 'x': element 0 is NaN; this kernel accepts finite values only"));
        cases.add(new Case("a JSON body without a Content-Type", "POST", SQUARE, Optional.empty(),
                "{\"inputs\":[{\"data\":[1]}]}".getBytes(StandardCharsets.UTF_8), 400, "invalid_input",
                "a binary request needs the input shapes"));
        // Wrong content types.
        cases.add(typed("text/plain", "text/plain", "{\"inputs\":[{\"data\":[1]}]}",
                "got text/plain"));
        cases.add(typed("application/xml", "application/xml", "<inputs/>",
                "got application/xml"));
        cases.add(typed("form data", "application/x-www-form-urlencoded", "inputs=1",
                "got application/x-www-form-urlencoded"));
        // Unknown kernels and paths.
        cases.add(json("an unknown kernel", "/api/kernels/cube/process", "{\"inputs\":[{\"data\":[1]}]}", 404,
                "unknown_kernel", "no kernel 'cube'; the kernels are add, attention, echo"));
        cases.add(json("a kernel id in upper case", "/api/kernels/SQUARE/process", "{\"inputs\":[{\"data\":[1]}]}", 404,
                "unknown_kernel", "no kernel 'SQUARE'"));
        cases.add(json("a dot-dot kernel id", "/api/kernels/%2e%2e/process", "{\"inputs\":[{\"data\":[1]}]}", 404,
                "not_found", "no route for /api/process"));
        cases.add(json("a long kernel id", "/api/kernels/" + "k".repeat(300) + "/process", "{\"inputs\":[{\"data\":[1]}]}",
                404, "unknown_kernel", "no kernel 'kkk"));
        cases.add(json("an unknown action", "/api/kernels/square/compute", "{\"inputs\":[{\"data\":[1]}]}", 404,
                "not_found", "no route for /api/kernels/square/compute"));
        cases.add(new Case("GET on stream", "GET", "/api/kernels/square/stream", Optional.empty(), new byte[0], 405,
                "method_not_allowed", "this path takes POST"));
        return cases;
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aMalformedRequestIsAnsweredWithA4xxNamingWhatIsWrong(Case c) {
        HttpRequest.Builder request = server.request(c.path()).method(c.method(), c.body().length == 0 && c.method().equals("GET")
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(c.body()));
        c.contentType().ifPresent(type -> request.header("Content-Type", type));
        HttpResponse<String> response = server.send(request);
        assertAll(c.name(), () -> assertError(response, c.status(), c.code(), c.message()));
    }

    @Order(2)
    @Test
    void afterwardsTheServerIsHealthyAndComputes() {
        assertEquals(200, server.get("/health").statusCode());
        assertEquals(200, server.get("/ready").statusCode());
        HttpResponse<String> response = server.postJson(SQUARE, "{\"inputs\":[{\"shape\":[2],\"data\":[1.5,-3]}]}");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("[2.25,9.0]", TestServer.json(response).get("outputs").get(0).get("data").toString());
    }
}
