package org.ringkernel.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ringkernel.grpc.GrpcClients.await;
import static org.ringkernel.http.TestServer.awaitTrue;
import static org.ringkernel.http.TestServer.inKernel;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.grpc.inference.ModelInferRequest;
import org.ringkernel.grpc.inference.ModelInferResponse;
import org.ringkernel.http.GatedKernel;
import org.ringkernel.http.TestServer;

/** A shutdown drains the gRPC port with the HTTP server: a call in progress is answered in full. */
class GrpcShutdownTest {

    @Test
    void aCallInProgressAtShutdownIsAnsweredInFull() throws Exception {
        Semaphore gate = new Semaphore(0);
        TestServer server = TestServer.start("ringkernel.http.shutdown-deadline = 20s");
        try (GrpcClients clients = new GrpcClients(server)) {
            KernelRef gated = server.kernels().register(GatedKernel.definition("gated", gate));
            awaitTrue(() -> gated.info().available(), "the gated kernel is active");
            CompletionStage<ModelInferResponse> held = clients.inference().modelInfer(ModelInferRequest.newBuilder()
                    .setModelName("gated").setId("held")
                    .addInputs(InferenceServiceTest.input("x", List.of(2L), 1, -2)).build());
            awaitTrue(() -> inKernel(gated) == 1, "the call is in the kernel");

            CompletableFuture<Void> stopped = CompletableFuture.runAsync(server::close);
            URI ready = URI.create(server.running().managementUrl().orElseThrow() + "/ready");
            awaitTrue(() -> server.send(HttpRequest.newBuilder(ready).timeout(TestServer.WAIT).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 503, "the shutdown has begun");
            gate.release(1000);

            ModelInferResponse answer = await(held);
            assertEquals("held", answer.getId());
            assertEquals(List.of(-1f, 2f), answer.getOutputs(0).getContents().getFp32ContentsList());
            await(stopped);
        } finally {
            gate.release(1000);
            server.close();
        }
    }
}
