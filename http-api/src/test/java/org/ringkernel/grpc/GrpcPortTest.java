package org.ringkernel.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.grpc.GrpcClients.await;

import grpc.reflection.v1alpha.reflection.ServerReflectionClient;
import grpc.reflection.v1alpha.reflection.ServerReflectionRequest;
import grpc.reflection.v1alpha.reflection.ServerReflectionResponse;
import grpc.reflection.v1alpha.reflection.ServiceResponse;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ringkernel.grpc.inference.ServerLiveRequest;
import org.ringkernel.http.SharedServer;
import org.ringkernel.http.TestServer;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The gRPC port itself: reflection lists the services (and is gone when switched off), and the server starts and
 * serves HTTP with gRPC off.
 */
@ExtendWith(SharedServer.class)
class GrpcPortTest {

    /** The services reflection lists, asked as grpcurl's {@code list} asks. */
    private static CompletionStage<List<String>> listServices(GrpcClients clients, TestServer server) {
        ServerReflectionClient reflection = ServerReflectionClient.apply(clients.settings(server), clients.system());
        ServerReflectionRequest list = ServerReflectionRequest.defaultInstance().withListServices("");
        return reflection.serverReflectionInfo(Source.single(list).asScala()).asJava()
                .mapConcat(GrpcPortTest::names)
                .runWith(Sink.seq(), clients.system())
                .whenComplete((services, failure) -> reflection.close());
    }

    @Test
    void reflectionListsTheServices(TestServer server) {
        try (GrpcClients clients = new GrpcClients(server)) {
            List<String> services = await(listServices(clients, server));
            assertTrue(services.contains("inference.GRPCInferenceService"), services.toString());
            assertTrue(services.contains("grpc.health.v1.Health"), services.toString());
        }
    }

    @Test
    void reflectionSwitchedOffIsUnimplementedAndGrpcOffLeavesHttp() {
        try (TestServer server = TestServer.start("ringkernel.grpc.reflection = off");
             GrpcClients clients = new GrpcClients(server)) {
            assertEquals(Status.Code.UNIMPLEMENTED, GrpcClients.failure(listServices(clients, server)).getCode());
            assertTrue(await(clients.inference().serverLive(
                    ServerLiveRequest.getDefaultInstance())).getLive());
        }
        try (TestServer server = TestServer.start("ringkernel.grpc.enabled = off")) {
            assertTrue(server.running().grpc().isEmpty());
            assertEquals(200, server.get("/health").statusCode());
        }
    }

    private static List<String> names(ServerReflectionResponse response) {
        return CollectionConverters.asJava(response.getListServicesResponse().service()).stream()
                .map(ServiceResponse::name).toList();
    }
}
