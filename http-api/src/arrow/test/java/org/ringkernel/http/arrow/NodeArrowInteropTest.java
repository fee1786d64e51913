package org.ringkernel.http.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.http.TestServer.awaitTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ringkernel.http.ApiAssertions;
import org.ringkernel.http.NodeClients;
import org.ringkernel.http.SharedServer;
import org.ringkernel.http.TestServer;

/**
 * Interop: a Node client (src/test/node/arrow-client.mjs) builds Float32 tables with the {@code apache-arrow}
 * package, an Arrow implementation apart from the server's, posts them as IPC streams with Node's fetch and decodes
 * the answers with the same package. The values are compared here with a float64 reference. Skipped, saying why,
 * where node or npm is missing or npm cannot install the client's packages ({@link NodeClients}).
 */
@ExtendWith(SharedServer.class)
class NodeArrowInteropTest {
    private static final int ROWS = 1001;
    private static final Duration RUN_LIMIT = Duration.ofMinutes(2);

    private static TestServer server;

    @BeforeAll
    static void prepare(TestServer shared) throws IOException {
        server = shared;
        NodeClients.prepare("apache-arrow");
        awaitTrue(() -> server.kernels().readiness().ready(), "the kernels are active");
    }

    @Test
    void aNodeArrowClientGetsItsTablesComputed() {
        NodeClients.Result client = NodeClients.run(RUN_LIMIT, "node", "arrow-client.mjs",
                server.running().url(), String.valueOf(ROWS));
        assertEquals(0, client.status(), "the Node client failed: " + client.err() + client.out());
        JsonNode summary = TestServer.json(client.out());

        JsonNode square = summary.get("square");
        assertAnswer(square, "y");
        JsonNode input = square.get("input");
        JsonNode output = square.get("values");
        int nulls = 0;
        for (int i = 0; i < ROWS; i++) {
            if (input.get(i).isNull()) {
                assertTrue(output.get(i).isNull(), "row " + i + " is null in the input: " + output.get(i));
                nulls++;
            } else {
                double x = input.get(i).asDouble();
                assertClose(x * x, output.get(i), "square row " + i);
            }
        }
        assertTrue(nulls > 100, "the client sends nulls: " + nulls);

        JsonNode saxpy = summary.get("saxpy");
        assertAnswer(saxpy, "out");
        for (int i = 0; i < ROWS; i++) {
            double expected = -1.5 * saxpy.get("x").get(i).asDouble() + saxpy.get("y").get(i).asDouble();
            assertClose(expected, saxpy.get("values").get(i), "saxpy row " + i);
        }

        JsonNode malformed = summary.get("malformed");
        assertEquals(400, malformed.get("status").asInt(), malformed.toString());
        ApiAssertions.assertErrorBody(malformed.get("body").asText(), "invalid_input",
                "the body is not a valid Arrow IPC stream");
    }

    private static void assertAnswer(JsonNode answer, String column) {
        assertEquals(200, answer.get("status").asInt(), answer.toString());
        assertEquals(ArrowStreamFormat.MEDIA_TYPE, answer.get("content_type").asText());
        assertEquals(1, answer.get("columns").asInt());
        assertEquals(column, answer.get("name").asText());
        assertEquals("Float32", answer.get("type").asText());
        assertEquals(1, answer.get("batches").asInt());
        assertEquals(ROWS, answer.get("values").size());
    }

    private static void assertClose(double expected, JsonNode actual, String what) {
        assertTrue(actual.isNumber(), what + ": " + actual);
        assertEquals(expected, actual.asDouble(), 1e-6 * Math.max(1, Math.abs(expected)), what);
    }
}
