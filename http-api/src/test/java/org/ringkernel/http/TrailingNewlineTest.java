package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every JSON body the server writes ends with one newline, so that {@code curl} output ends cleanly: listings,
 * probes, results, the status, the inference protocol's bodies and errors of both forms; the Content-Length
 * counts it.
 */
@ExtendWith(SharedServer.class)
class TrailingNewlineTest {
    private static TestServer server;

    @BeforeAll
    static void startServer(TestServer shared) {
        server = shared;
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "GET    | /health                          | 200 |",
        "GET    | /ready                           | 200 |",
        "GET    | /api/kernels                     | 200 |",
        "GET    | /api/kernels/square              | 200 |",
        "GET    | /api/status                      | 200 |",
        "GET    | /api/cluster                     | 404 |",
        "GET    | /api/kernels/cube                | 404 |",
        "GET    | /no/such/path                    | 404 |",
        "DELETE | /api/kernels                     | 405 |",
        "POST   | /api/kernels/square/process      | 200 | {\"inputs\":[{\"data\":[1.5,-2]}]}",
        "POST   | /api/kernels/square/process      | 400 | {\"inputs\":[",
        "GET    | /v2                              | 200 |",
        "GET    | /v2/health/live                  | 200 |",
        "GET    | /v2/health/ready                 | 200 |",
        "GET    | /v2/models/square                | 200 |",
        "GET    | /v2/models/square/ready          | 200 |",
        "GET    | /v2/models/cube                  | 404 |",
        "POST   | /v2/models/square/infer          | 200 | {\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[1,2]}]}",
        "POST   | /v2/models/square/infer          | 400 | {}",
    })
    void aJsonBodyEndsWithOneNewlineThatItsLengthCounts(String method, String path, int status, String body) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        HttpResponse<byte[]> response = server.send(server.request(path).header("Content-Type", "application/json")
                .method(method, publisher).build(), HttpResponse.BodyHandlers.ofByteArray());
        String text = new String(response.body(), StandardCharsets.UTF_8);
        assertEquals(status, response.statusCode(), text);
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""), text);
        assertTrue(text.endsWith("}\n"), "'" + text + "'");
        assertNotEquals('\n', text.charAt(text.length() - 2), "one newline: '" + text + "'");
        assertEquals(String.valueOf(response.body().length), response.headers().firstValue("Content-Length").orElse(""),
                text);
        TestServer.json(text);
    }
}
