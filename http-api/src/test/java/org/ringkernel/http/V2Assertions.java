package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** What every error of the inference protocol's routes promises: {@code {"error":"<message>"}}, no stack trace. */
final class V2Assertions {
    private V2Assertions() {
    }

    /** Asserts that {@code response} is the protocol's error with {@code status}, naming every part; returns the message. */
    static String assertV2Error(HttpResponse<String> response, int status, String... messageParts) {
        String context = response.request().method() + " " + response.request().uri() + " -> " + response.statusCode()
                + " " + response.body();
        assertEquals(status, response.statusCode(), context);
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""), context);
        JsonNode body = TestServer.json(response);
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("error"), fields, context);
        assertTrue(body.get("error").isTextual(), context);
        String message = body.get("error").asText();
        for (String part : messageParts) {
            assertTrue(message.contains(part), "the message should contain '" + part + "': " + message);
        }
        ApiAssertions.assertNoStackTrace(response.body());
        return message;
    }
}
