package org.ringkernel.grpc.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.http.TestServer.awaitTrue;

import io.grpc.Status;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ringkernel.grpc.inference.ModelMetadataResponse;
import org.ringkernel.http.SharedServer;
import org.ringkernel.http.TestServer;

/** {@link InferenceClient} against a real server's gRPC port: every call, deadlines, ids, streams and errors. */
@ExtendWith(SharedServer.class)
class InferenceClientTest {
    private static final Duration DEADLINE = TestServer.WAIT;

    private static TestServer server;
    private static ActorSystem system;
    private static InferenceClient client;

    @BeforeAll
    static void connect(TestServer shared) {
        server = shared;
        system = ActorSystem.create("inference-client");
        client = InferenceClient.connect("127.0.0.1", server.grpcPort(), system);
        awaitTrue(() -> server.kernels().readiness().ready(), "the kernels are active");
    }

    @AfterAll
    static void disconnect() {
        client.close();
        system.terminate();
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the call did not succeed", e);
        }
    }

    private static InferenceException failure(CompletionStage<?> stage) {
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> stage.toCompletableFuture().get(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS));
        return assertInstanceOf(InferenceException.class, failed.getCause());
    }

    @Test
    void inferReturnsNamedOutputsAndEchoesTheId() {
        InferResult result = await(client.infer(InferRequest.of("square", Tensor.of("x", 1, -2, 3)).withId("sq-1"),
                DEADLINE));
        assertEquals("square", result.model());
        assertEquals("1", result.version());
        assertEquals("sq-1", result.id());
        assertArrayEquals(new long[] {3}, result.output("y").shape());
        assertArrayEquals(new float[] {1, 4, 9}, result.output("y").values());
    }

    @Test
    void multiDimensionalInputsAndIntegerAndDoubleParams() {
        InferResult product = await(client.infer("matmul", DEADLINE,
                new Tensor("a", new long[] {2, 2}, new float[] {1, 2, 3, 4}),
                new Tensor("b", new long[] {2, 1}, new float[] {1, 1})));
        assertArrayEquals(new long[] {2, 1}, product.output("c").shape());
        assertArrayEquals(new float[] {3, 7}, product.output("c").values());

        InferRequest saxpy = InferRequest.of("saxpy", Tensor.of("x", 1, 2), Tensor.of("y", 10, 20));
        assertArrayEquals(new float[] {13, 26},
                await(client.infer(saxpy.withParams(Map.of("alpha", 3L)), DEADLINE)).output("out").values());
        assertArrayEquals(new float[] {10.5f, 21},
                await(client.infer(saxpy.withParams(Map.of("alpha", 0.5)), DEADLINE)).output("out").values());
    }

    @Test
    void readinessAndMetadata() {
        assertTrue(await(client.serverLive(DEADLINE)));
        assertTrue(await(client.serverReady(DEADLINE)));
        assertTrue(await(client.modelReady("square", DEADLINE)));
        ModelMetadataResponse metadata = await(client.metadata("layer_norm", DEADLINE));
        assertEquals(List.of("x", "gamma", "beta"), metadata.getInputsList().stream().map(t -> t.getName()).toList());
        assertEquals("FP32", metadata.getInputs(0).getDatatype());
    }

    @Test
    void aRefusedCallFailsWithTheStatusAndTheServersMessage() {
        InferenceException unknown = failure(client.infer("nope", DEADLINE, Tensor.of("x", 1)));
        assertEquals(Status.Code.NOT_FOUND, unknown.code());
        assertTrue(unknown.description().contains("nope"), unknown.getMessage());
        assertTrue(unknown.getMessage().startsWith("ModelInfer failed: NOT_FOUND"), unknown.getMessage());

        InferenceException badInput = failure(client.infer("square", DEADLINE, Tensor.of("w", 1)));
        assertEquals(Status.Code.INVALID_ARGUMENT, badInput.code());
        assertTrue(badInput.description().contains("model 'square' has no input 'w'"), badInput.getMessage());

        assertEquals(Status.Code.NOT_FOUND, failure(client.metadata("nope", DEADLINE)).code());
    }

    @Test
    void aDeadlineThatHasPassedFailsTheCallWithDeadlineExceeded() {
        InferenceException late = failure(client.infer("square", Duration.ofNanos(1), Tensor.of("x", 1)));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, late.code());
        assertThrows(IllegalArgumentException.class, () -> client.infer("square", Duration.ZERO, Tensor.of("x", 1)));
    }

    @Test
    void theStreamAnswersEveryRequestMatchedByIdAndReportsARefusedOneInPlace() {
        int count = 2_000;
        List<InferRequest> requests = IntStream.range(0, count)
                .mapToObj(i -> i == 7 ? InferRequest.of("square", Tensor.of("w", 1)).withId("bad")
                        : InferRequest.of("square", Tensor.of("x", i, -i)).withId("r" + i))
                .toList();
        List<StreamReply> replies = await(Source.from(requests).via(client.stream()).runWith(Sink.seq(), system));
        assertEquals(count, replies.size());
        Map<String, StreamReply> byId = new HashMap<>();
        for (StreamReply reply : replies) {
            assertEquals(null, byId.put(reply.id(), reply), "one reply per id: " + reply.id());
        }
        StreamReply.Failed refused = assertInstanceOf(StreamReply.Failed.class, byId.get("bad"));
        assertTrue(refused.message().contains("model 'square' has no input 'w'"), refused.message());
        for (int i = 0; i < count; i++) {
            if (i == 7) {
                continue;
            }
            StreamReply.Answered answered = assertInstanceOf(StreamReply.Answered.class, byId.get("r" + i));
            float v = i;
            assertArrayEquals(new float[] {v * v, v * v}, answered.result().output("y").values(), "r" + i);
        }
    }

    @Test
    void aStreamToAClosedPortFailsWithUnavailable() {
        ActorSystem other = ActorSystem.create("inference-client-unreachable");
        int freePort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            freePort = socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        InferenceClient unreachable = InferenceClient.connect("127.0.0.1", freePort, other);
        try {
            InferenceException refused = failure(Source.single(InferRequest.of("square", Tensor.of("x", 1)))
                    .via(unreachable.stream()).runWith(Sink.seq(), other));
            assertEquals(Status.Code.UNAVAILABLE, refused.code());
            assertFalse(refused.getMessage().isEmpty());
        } finally {
            unreachable.closeAsync();
            other.terminate();
        }
    }

    @Test
    void aTensorWhoseShapeDoesNotFitItsValuesIsRejectedBeforeSending() {
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> new Tensor("x", new long[] {2, 2}, new float[] {1, 2, 3}));
        assertEquals("tensor 'x' has shape [2, 2] (4 elements) but 3 values", wrong.getMessage());
    }
}
