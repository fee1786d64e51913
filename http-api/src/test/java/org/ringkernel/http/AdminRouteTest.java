package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ringkernel.http.ApiAssertions.assertError;
import static org.ringkernel.http.TestServer.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code PUT /admin/kernels/{id}/batching}: absent without {@code ringkernel.http.admin-token}; with one, it
 * requires the token as a bearer token and changes the kernel's batching while it runs.
 */
@ExtendWith(SharedServer.class)
class AdminRouteTest {
    private static final String TOKEN = "s3cret-token";
    private static final String BATCHING = "/admin/kernels/square/batching";
    private static TestServer withoutToken;
    private static TestServer server;

    @BeforeAll
    static void startServers(TestServer shared) {
        withoutToken = shared;
        server = TestServer.start("""
                ringkernel {
                  kernels.start = [square]
                  http.admin-token = "%s"
                }
                """.formatted(TOKEN));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static HttpResponse<String> put(TestServer on, String path, Optional<String> authorization, String body) {
        HttpRequest.Builder request = on.request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        authorization.ifPresent(value -> request.header("Authorization", value));
        return on.send(request);
    }

    private static HttpResponse<String> put(String body) {
        return put(server, BATCHING, Optional.of("Bearer " + TOKEN), body);
    }

    @Test
    void withoutATokenConfiguredTheRouteDoesNotExist() {
        assertError(put(withoutToken, BATCHING, Optional.of("Bearer " + TOKEN), "{\"max_batch_size\":4}"), 404,
                "not_found", "no route for /admin/kernels/square/batching");
    }

    @Test
    void withoutAnAuthorizationHeaderItIs401WithAChallenge() {
        HttpResponse<String> response = put(server, BATCHING, Optional.empty(), "{\"max_batch_size\":4}");
        assertError(response, 401, "unauthorized", "the admin route needs the admin token as 'Authorization: Bearer <token>'");
        assertEquals("Bearer realm=\"ringkernel\"", response.headers().firstValue("WWW-Authenticate").orElse(""));
    }

    @Test
    void aWrongTokenIs401() {
        for (String wrong : new String[] {"Bearer nope", "Bearer " + TOKEN + "x", TOKEN, "Basic " + TOKEN}) {
            HttpResponse<String> response = put(server, BATCHING, Optional.of(wrong), "{\"max_batch_size\":4}");
            assertError(response, 401, "unauthorized", "the admin token is wrong");
            assertEquals("Bearer realm=\"ringkernel\"", response.headers().firstValue("WWW-Authenticate").orElse(""));
        }
    }

    @Test
    void theRightTokenChangesTheBatchingTheKernelThenShows() {
        HttpResponse<String> response = put("{\"mode\":\"fixed-delay\",\"max_batch_size\":8,\"max_delay_us\":500}");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("{\"batching\":{\"mode\":\"fixed-delay\",\"max_batch_size\":8,\"max_delay_us\":500.0}}\n",
                response.body());

        JsonNode batching = json(server.get("/api/kernels/square")).get("batching");
        assertEquals("fixed-delay", batching.get("mode").asText());
        assertEquals(8, batching.get("max_batch_size").asInt());
        assertEquals(500.0, batching.get("max_delay_us").asDouble());

        HttpResponse<String> partial = put("{\"mode\":\"opportunistic\"}");
        assertEquals(200, partial.statusCode(), partial.body());
        batching = json(server.get("/api/kernels/square")).get("batching");
        assertEquals("opportunistic", batching.get("mode").asText());
        assertEquals(8, batching.get("max_batch_size").asInt(), "a field left out keeps its value");

        assertEquals(200, server.postJson("/api/kernels/square/process", "{\"inputs\":[{\"data\":[3]}]}").statusCode(),
                "the kernel computes with its new batching");
    }

    @ParameterizedTest(name = "{0} is 400 naming the field")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"max_batch_size\":0}              | max_batch_size must be a whole number in [1, 1024] (1 to ringkernel.queue-capacity), got 0",
            "{\"max_batch_size\":2.5}            | max_batch_size must be a whole number in [1, 1024] (1 to ringkernel.queue-capacity), got 2.5",
            "{\"max_batch_size\":\"8\"}          | max_batch_size must be a whole number in [1, 1024] (1 to ringkernel.queue-capacity), got \"8\"",
            "{\"max_batch_size\":1025}           | max_batch_size must be a whole number in [1, 1024] (1 to ringkernel.queue-capacity), got 1025",
            "{\"max_batch_size\":2147483647}     | max_batch_size must be a whole number in [1, 1024] (1 to ringkernel.queue-capacity), got 2147483647",
            "{\"mode\":\"sometimes\"}            | mode: expected one of opportunistic, fixed-delay, off, got 'sometimes'",
            "{\"max_delay_us\":-1}               | max_delay_us must be a number of microseconds in [0, 60000000], got -1",
            "{\"max_delay_us\":\"soon\"}         | max_delay_us must be a number of microseconds in [0, 60000000]",
            "{\"batch\":4}                       | unknown field 'batch'; batching has mode, max_batch_size and max_delay_us",
            "[4]                                 | expected a JSON object like",
            "{\"mode\":                          | JSON ends early at line 1"})
    void aBadBodyIs400NamingTheField(String body, String message) {
        assertError(put(body), 400, "invalid_input", message);
    }

    @ParameterizedTest(name = "Content-Type {0} is 415")
    @CsvSource({"text/plain", "application/x-www-form-urlencoded", "application/octet-stream"})
    void aBodyThatIsNotJsonIs415(String contentType) {
        HttpResponse<String> response = server.send(server.request(BATCHING).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofString("{\"max_batch_size\":4}")));
        assertError(response, 415, "unsupported_media_type", "expected Content-Type application/json, got " + contentType);
    }

    @Test
    void anUnknownKernelIs404() {
        assertError(put(server, "/admin/kernels/cube/batching", Optional.of("Bearer " + TOKEN), "{}"), 404,
                "unknown_kernel", "no kernel 'cube'");
    }

    @Test
    void getOnTheRouteIs405AllowingPut() {
        HttpResponse<String> response = server.send(server.request(BATCHING).header("Authorization", "Bearer " + TOKEN)
                .GET());
        assertError(response, 405, "method_not_allowed", "this path takes PUT");
        assertEquals("PUT", response.headers().firstValue("Allow").orElse(""));
    }
}
