package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** What every answer of the API promises: errors as {@code {"error":{"code","message"}}}, no stack traces. */
public final class ApiAssertions {
    /** What the JSON parser's own messages are made of; none of it may reach a client. */
    private static final List<String> PARSER_INSIDES = List.of("Source:", "StreamReadFeature", "com.fasterxml",
            "Jackson", "REDACTED", "JsonReadFeature", "StreamReadConstraints", "' (code ", "start marker");

    private ApiAssertions() {
    }

    /**
     * Asserts that {@code response} is the JSON error {@code code} with {@code status}, whose message contains
     * every one of {@code messageParts}; returns the message.
     */
    public static String assertError(HttpResponse<String> response, int status, String code, String... messageParts) {
        String context = response.request().method() + " " + response.request().uri() + " -> " + response.statusCode()
                + " " + response.body();
        assertEquals(status, response.statusCode(), context);
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""), context);
        String message = assertErrorBody(response.body(), code, messageParts);
        assertNoStackTrace(response.body());
        return message;
    }

    /** Asserts that {@code json} is {@code {"error":{"code":code,"message":…}}} naming every part; returns the message. */
    public static String assertErrorBody(String json, String code, String... messageParts) {
        JsonNode body = TestServer.json(json);
        assertEquals(List.of("error"), fieldNames(body), json);
        JsonNode error = body.get("error");
        assertEquals(List.of("code", "message"), fieldNames(error), json);
        assertEquals(code, error.get("code").asText(), json);
        String message = error.get("message").asText();
        for (String part : messageParts) {
            assertTrue(message.contains(part), "the message should contain '" + part + "': " + message);
        }
        return message;
    }

    /** Asserts that {@code body} shows nothing of the server's insides, its JSON parser's included. */
    public static void assertNoStackTrace(String body) {
        assertFalse(body.contains("Exception"), body);
        assertFalse(body.contains("at org."), body);
        assertFalse(body.contains("\tat "), body);
        assertFalse(body.contains("at java."), body);
        for (String inside : PARSER_INSIDES) {
            assertFalse(body.contains(inside), "'" + inside + "' in " + body);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
