package org.ringkernel.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.grpc.GrpcClients.await;
import static org.ringkernel.grpc.GrpcClients.failure;
import static org.ringkernel.http.TestServer.awaitTrue;

import io.grpc.Status;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ringkernel.grpc.health.HealthCheckRequest;
import org.ringkernel.grpc.health.HealthCheckResponse.ServingStatus;
import org.ringkernel.grpc.inference.ModelReadyRequest;
import org.ringkernel.grpc.inference.ServerReadyRequest;
import org.ringkernel.http.TestServer;

/**
 * A kernel that fails, over gRPC: INTERNAL for the request in flight; health NOT_SERVING while it restarts and
 * SERVING again after; with its one restart spent, UNAVAILABLE for further requests and NOT_SERVING for good, for
 * the kernel and the whole server, on Check and on Watch.
 */
class GrpcKernelFailureTest {
    private static TestServer server;
    private static GrpcClients clients;

    @BeforeAll
    static void startServer() {
        server = TestServer.start("""
                ringkernel {
                  kernels.start = [square, echo]
                  debug.fault-injection = on
                  supervision.max-restarts = 1
                  supervision.restart-min-backoff = 2s
                }
                """);
        clients = new GrpcClients(server);
        awaitTrue(() -> server.kernels().readiness().ready(), "the kernels are active");
    }

    @AfterAll
    static void stopServer() {
        clients.close();
        server.close();
    }

    private static void failNextBatch() {
        await(server.kernels().faults().failNextBatch("square", 0));
    }

    @Test
    void aFailedBatchIsInternalThenTheKernelRestartsThenIsUnavailable() {
        List<ServingStatus> watched = new CopyOnWriteArrayList<>();
        clients.healthClient().watch(HealthCheckRequest.newBuilder().setService("square").build())
                .runWith(Sink.foreach(response -> watched.add(response.getStatus())), clients.system());
        awaitTrue(() -> !watched.isEmpty(), "the watch sends the status now");
        assertEquals(ServingStatus.SERVING, watched.get(0));

        failNextBatch();
        Status failed = failure(clients.inference().modelInfer(InferenceServiceTest.square("f1", 1)));
        assertEquals(Status.Code.INTERNAL, failed.getCode(), failed.toString());
        assertTrue(failed.getDescription().contains("kernel 'square'"), failed.toString());
        assertTrue(failed.getDescription().contains("injected fault"), failed.toString());
        awaitTrue(() -> clients.health("square") == ServingStatus.NOT_SERVING, "square is not serving while it restarts");
        assertEquals(ServingStatus.NOT_SERVING, clients.health(""));
        awaitTrue(() -> clients.health("square") == ServingStatus.SERVING, "square serves again once restarted");
        awaitTrue(() -> clients.health("") == ServingStatus.SERVING, "the server serves again");

        failNextBatch();
        assertEquals(Status.Code.INTERNAL,
                failure(clients.inference().modelInfer(InferenceServiceTest.square("f2", 1))).getCode());
        awaitTrue(() -> clients.health("square") == ServingStatus.NOT_SERVING, "square's restarts are spent");
        Status unavailable = failure(clients.inference().modelInfer(InferenceServiceTest.square("u", 1)));
        assertEquals(Status.Code.UNAVAILABLE, unavailable.getCode(), unavailable.toString());
        assertTrue(unavailable.getDescription().contains("kernel 'square' instance 0 is unavailable"),
                unavailable.toString());
        assertEquals(ServingStatus.NOT_SERVING, clients.health(""));
        assertEquals(ServingStatus.NOT_SERVING, clients.health("inference.GRPCInferenceService"));
        assertEquals(ServingStatus.SERVING, clients.health("echo"), "the other kernel still serves");
        assertFalse(await(clients.inference().serverReady(ServerReadyRequest.getDefaultInstance())).getReady());
        assertFalse(await(clients.inference().modelReady(ModelReadyRequest.newBuilder().setName("square").build()))
                .getReady());

        awaitTrue(() -> watched.get(watched.size() - 1) == ServingStatus.NOT_SERVING,
                "the watch reports square not serving");
        assertTrue(watched.size() >= 2, watched.toString());
        for (int i = 1; i < watched.size(); i++) {
            assertTrue(watched.get(i) != watched.get(i - 1), "a watch sends changes only: " + watched);
        }
    }
}
