package org.ringkernel.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.http.TestServer.awaitTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ringkernel.http.NodeClients;
import org.ringkernel.http.SharedServer;
import org.ringkernel.http.TestServer;

/**
 * Interop: a Node client ({@code @grpc/grpc-js}, src/test/node/oip-client.mjs) calls the running server through a
 * protocol definition of its own (src/test/node/open_inference_v2.proto, written apart from the server's .proto
 * from the Open Inference Protocol's public description), so that the server's wire format is checked against an
 * independent statement of the protocol, by a client in another language. Results are compared with a float64
 * reference computed here. Skipped, saying why, where {@code node} or {@code npm} is missing or npm cannot install
 * the client's packages ({@link NodeClients}).
 */
@ExtendWith(SharedServer.class)
class NodeInteropTest {
    private static final int STREAM_REQUESTS = 1_000;
    private static final Duration RUN_LIMIT = Duration.ofMinutes(2);

    private static TestServer server;

    @BeforeAll
    static void prepare(TestServer shared) throws IOException {
        server = shared;
        NodeClients.prepare("@grpc/grpc-js");
        awaitTrue(() -> server.kernels().readiness().ready(), "the kernels are active");
    }

    @Test
    void aNodeClientWithItsOwnProtocolDefinitionCallsEveryPartOfTheService() {
        NodeClients.Result client = NodeClients.run(RUN_LIMIT, "node", "oip-client.mjs", String.valueOf(server.grpcPort()),
                String.valueOf(STREAM_REQUESTS));
        assertEquals(0, client.status(), "the Node client failed: " + client.err() + client.out());
        JsonNode summary = TestServer.json(client.out());

        assertTrue(summary.get("live").asBoolean(), summary.toString());

        JsonNode metadata = summary.get("metadata");
        assertEquals("square", metadata.get("name").asText());
        assertEquals("[\"1\"]", metadata.get("versions").toString());
        assertEquals("x", metadata.get("inputs").get(0).get("name").asText());
        assertEquals("FP32", metadata.get("inputs").get(0).get("datatype").asText());
        assertEquals("[-1]", metadata.get("inputs").get(0).get("shape").toString());
        assertEquals("y", metadata.get("outputs").get(0).get("name").asText());

        JsonNode typed = summary.get("typed");
        assertEquals("node-typed", typed.get("id").asText());
        assertEquals("square", typed.get("model").asText());
        assertEquals("[2,4]", typed.get("output").get("shape").toString());
        assertEquals("FP32", typed.get("output").get("datatype").asText());
        assertEquals(0, typed.get("raw_outputs").asInt(), "typed inputs get typed outputs");
        assertSquares(typed.get("input"), typed.get("output").get("values"), "typed");

        JsonNode raw = summary.get("raw");
        assertEquals("node-raw", raw.get("id").asText());
        assertEquals("[4]", raw.get("output").get("shape").toString());
        assertSquares(raw.get("input"), raw.get("output").get("values"), "raw");

        JsonNode stream = summary.get("stream");
        assertEquals(STREAM_REQUESTS, stream.get("sent").asInt());
        assertEquals(STREAM_REQUESTS, stream.get("received").asInt(), "one response per request");
        assertEquals(0, stream.get("duplicates").asInt());
        assertEquals(0, stream.get("unknown_ids").asInt());
        assertEquals("[]", stream.get("errors").toString());
        assertEquals(STREAM_REQUESTS, stream.get("results").size(), "every request id answered");
        for (int i = 0; i < STREAM_REQUESTS; i++) {
            JsonNode result = stream.get("results").get("s-" + i);
            assertSquares(result.get("input"), result.get("output"), "s-" + i);
        }
    }

    /** Each output is the square of its FP32 input, as float64 computes it, to FP32's rounding. */
    private static void assertSquares(JsonNode input, JsonNode output, String what) {
        assertEquals(input.size(), output.size(), what + ": one output per input: " + output);
        for (int i = 0; i < input.size(); i++) {
            double x = (float) input.get(i).asDouble();
            double expected = x * x;
            double actual = output.get(i).asDouble();
            assertEquals(expected, actual, Math.abs(expected) * 1e-6, what + " element " + i);
        }
    }
}
