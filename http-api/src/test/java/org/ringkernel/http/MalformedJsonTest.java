package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ringkernel.http.ApiAssertions.assertError;
import static org.ringkernel.http.ApiAssertions.assertErrorBody;
import static org.ringkernel.http.V2Assertions.assertV2Error;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * JSON the parser refuses is answered in the API's own words, through every route that reads JSON (process,
 * each line of a stream, the inference protocol's infer, the admin route): where it went wrong (line, column, the
 * field), what was expected and what was found, and nothing of the parser's insides (which
 * {@link ApiAssertions#assertNoStackTrace} checks on every error).
 */
class MalformedJsonTest {
    private static final String PROCESS = "/api/kernels/square/process";
    private static final String STREAM = "/api/kernels/square/stream";
    private static final String INFER = "/v2/models/square/infer";
    private static final String ADMIN = "/admin/kernels/square/batching";
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start("""
                ringkernel {
                  kernels.start = [square]
                  http.admin-token = "secret"
                }
                """);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }


    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "truncated           | {\"inputs\":[{\"data\":[1,2             "
                + "| JSON ends early at line 1, column 24 (in inputs[0].data): the array opened at line 1, column 20 is not closed",
        "a missing comma     | {\"inputs\":[{\"data\":[1 2]}]}        "
                + "| malformed JSON at line 1, column 23 (in inputs[0].data): expected a comma or ']', got '2'",
        "a bad token         | {\"inputs\":[{\"data\":[1,tru]}]}      "
                + "| malformed JSON at line 1, column 23 (in inputs[0].data[1]): expected a value (a number, a string, "
                + "true, false, null, an array or an object), got 'tru'",
        "an unclosed string  | {\"inputs\":[{\"shape\":\"3}]}        "
                + "| JSON ends early at line 1, column 26 (in inputs[0]): the string opened at line 1, column 21 is not "
                + "closed, and the object opened at line 1, column 12 is not closed",
        "trailing garbage    | {\"inputs\":[{\"data\":[1]}]} xyz      "
                + "| unexpected content after the request object at line 1, column 27: 'xyz'; a body holds one request",
        "a second object     | {\"inputs\":[{\"data\":[1]}]}{}        "
                + "| unexpected content after the request object at line 1, column 26: another object",
        "a wrong close       | {\"inputs\":[{\"data\":[1]}}}          "
                + "| malformed JSON at line 1, column 24 (in inputs): expected ']' to close the array opened at line 1, column 11, got '}'",
        "single quotes       | {'inputs':[]}                          "
                + "| malformed JSON at line 1, column 2: expected a field name in double quotes, got '''",
        "a NaN               | {\"inputs\":[{\"data\":[NaN]}]}        "
                + "| malformed JSON at line 1, column 24 (in inputs[0].data[0]): 'NaN' is not a JSON number",
        "a leading zero      | {\"inputs\":[{\"data\":[07]}]}         "
                + "| (in inputs[0].data[0]): a malformed number: a number has a leading zero (write 7, not 07)",
        "a 100-digit number  | `{\"inputs\":[{\"data\":[1,%s]}]}`      "
                + "| a number (in inputs[0].data[1]) has more than 64 characters",
        "a missing colon     | {\"inputs\" [{\"data\":[1]}]}          "
                + "| malformed JSON at line 1, column 11 (in inputs): expected ':' after the field name, got '['",
        "a wrong type        | {\"inputs\":[{\"data\":[1,\"2\"]}]}    "
                + "| inputs[0].data[1] must be a number, got the string \"2\"",
    })
    void aMalformedProcessBodyIsNamedInOurWords(String name, String body, String message) {
        HttpResponse<String> response = server.postJson(PROCESS, body.strip().replace("%s", "9".repeat(100)));
        assertError(response, 400, "invalid_input", message.strip());
    }

    @Test
    void aBodyOfSeveralLinesIsPlacedByLineAndColumn() {
        String body = "{\n  \"inputs\": [\n    {\"data\": [1, 2,]}\n  ]\n}";
        assertError(server.postJson(PROCESS, body), 400, "invalid_input",
                "malformed JSON at line 3, column 20 (in inputs[0].data[2]): expected a value");
        String truncated = "{\n  \"inputs\": [\n    {\"data\": [1, 2]}\n";
        assertError(server.postJson(PROCESS, truncated), 400, "invalid_input",
                "JSON ends early at line 4, column 1 (in inputs): the array opened at line 2, column 13 is not closed");
    }

    @Test
    void eachMalformedLineOfAStreamIsNamedByItsLineAndColumn() {
        String body = """
                {"inputs":[{"data":[1]}]}
                {"inputs":[{"data":[1 2]}]}
                {"inputs":[{"data":[3
                {"inputs":[{"data":[2]}]} x
                {"inputs":[{"data":[NaN]}]}
                """;
        HttpResponse<String> response = server.post(STREAM, "application/x-ndjson", body);
        assertEquals(200, response.statusCode(), response.body());
        String[] lines = response.body().split("\n");
        assertEquals(5, lines.length, response.body());
        assertErrorBody(lines[1], "invalid_input",
                "line 2: malformed JSON at column 23 (in inputs[0].data): expected a comma or ']', got '2'");
        assertErrorBody(lines[2], "invalid_input",
                "line 3: JSON ends early at column 22 (in inputs[0].data): the array opened at column 20 is not closed");
        assertErrorBody(lines[3], "invalid_input",
                "line 4: unexpected content after the request object at column 27: 'x'");
        assertErrorBody(lines[4], "invalid_input", "line 5: malformed JSON at column 24 (in inputs[0].data[0]): "
                + "'NaN' is not a JSON number");
    }

    @Test
    void aMalformedInferenceRequestIsNamedInOurWords() {
        HttpResponse<String> truncated = server.postJson(INFER,
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[1,2]}");
        assertV2Error(truncated, 400, "JSON ends early at line 1, column 67 (in inputs): the array opened at line 1, "
                + "column 11 is not closed");
        HttpResponse<String> badToken = server.postJson(INFER,
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[1,two]}]}");
        assertV2Error(badToken, 400, "malformed JSON at line 1, column 64 (in inputs[0].data[1]): expected a value");
    }

    @Test
    void aMalformedBatchingUpdateIsNamedInOurWords() {
        HttpResponse<String> response = server.send(server.request(ADMIN).header("Authorization", "Bearer secret")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"mode\":\"opportunistic\" \"max_batch_size\":4}")));
        assertError(response, 400, "invalid_input",
                "malformed JSON at line 1, column 25: expected a comma or '}', got '\"'");
        HttpResponse<String> trailing = server.send(server.request(ADMIN).header("Authorization", "Bearer secret")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"max_batch_size\":4} 5")));
        assertError(trailing, 400, "invalid_input", "unexpected content after the batching object at line 1, column 22");
    }
}
