package org.ringkernel.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.grpc.GrpcClients.await;
import static org.ringkernel.grpc.GrpcClients.failure;
import static org.ringkernel.http.TestServer.awaitTrue;
import static org.ringkernel.http.TestServer.inKernel;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.grpc.inference.ModelInferRequest;
import org.ringkernel.grpc.inference.ModelInferResponse;
import org.ringkernel.http.GatedKernel;
import org.ringkernel.http.TestServer;

/**
 * RESOURCE_EXHAUSTED for the two limits of the gRPC port: a kernel whose ring and wait queue are full (a gated
 * kernel with a ring of two and no wait queue), and a message over {@code ringkernel.grpc.max-message-bytes}.
 */
class GrpcLimitsTest {
    private static final Semaphore GATE = new Semaphore(0);
    private static TestServer server;
    private static GrpcClients clients;
    private static KernelRef gated;

    @BeforeAll
    static void startServer() {
        server = TestServer.start("""
                ringkernel {
                  kernels.start = [square]
                  queue-capacity = 2
                  kernel.max-batch-size = 2
                  batching.max-batch-size = 2
                  max-wait-queue = 0
                  request-timeout = 30s
                  supervision.watchdog-timeout = 60s
                  grpc.max-message-bytes = 1 KiB
                }
                """);
        gated = server.kernels().register(GatedKernel.definition("gated", GATE));
        clients = new GrpcClients(server);
        awaitTrue(() -> server.kernels().readiness().ready(), "the kernels are active");
    }

    @AfterAll
    static void stopServer() {
        GATE.release(1000);
        clients.close();
        server.close();
    }

    private static ModelInferRequest negate(String id) {
        return ModelInferRequest.newBuilder().setModelName("gated").setId(id)
                .addInputs(InferenceServiceTest.input("x", List.of(2L), 1, -2)).build();
    }

    @Test
    void requestsBeyondTheRingAndWaitQueueAreResourceExhausted() {
        List<CompletionStage<ModelInferResponse>> held = List.of(clients.inference().modelInfer(negate("a")),
                clients.inference().modelInfer(negate("b")));
        awaitTrue(() -> inKernel(gated) == 2, "the ring holds two requests");

        List<CompletionStage<ModelInferResponse>> refused = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            refused.add(clients.inference().modelInfer(negate("refused-" + i)));
        }
        for (CompletionStage<ModelInferResponse> call : refused) {
            Status status = failure(call);
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, status.getCode(), status.toString());
            assertTrue(status.getDescription().contains("kernel 'gated' is overloaded"), status.toString());
        }

        GATE.release(1000);
        assertEquals("a", await(held.get(0)).getId());
        assertEquals("b", await(held.get(1)).getId());
        assertEquals("after", await(clients.inference().modelInfer(negate("after"))).getId(),
                "a request after the overload is computed");
    }

    @Test
    void aMessageOverMaxMessageBytesIsResourceExhaustedAndASmallerOneIsServed() {
        float[] large = new float[300];
        Status status = failure(clients.inference().modelInfer(InferenceServiceTest.square("large", large)));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, status.getCode(), status.toString());
        assertTrue(status.getDescription().contains("larger than ringkernel.grpc.max-message-bytes (1024 bytes)"),
                status.toString());

        ModelInferResponse small = await(clients.inference().modelInfer(InferenceServiceTest.square("small", 3)));
        assertEquals("small", small.getId());
        assertArrayEquals(new float[] {9}, new float[] {small.getOutputs(0).getContents().getFp32Contents(0)});
    }
}
