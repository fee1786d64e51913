package org.ringkernel.grpc;

import io.grpc.Status;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.grpc.GrpcClientSettings;
import org.ringkernel.grpc.health.HealthCheckRequest;
import org.ringkernel.grpc.health.HealthCheckResponse.ServingStatus;
import org.ringkernel.grpc.health.HealthClient;
import org.ringkernel.grpc.inference.GRPCInferenceServiceClient;
import org.ringkernel.http.TestServer;

/**
 * The generated Pekko gRPC clients of a {@link TestServer}'s gRPC port, over a real plaintext HTTP/2 connection, on
 * an actor system of their own (so that a client is a separate party, as it is in production).
 */
final class GrpcClients implements AutoCloseable {
    private final ActorSystem system;
    private final GRPCInferenceServiceClient inference;
    private final HealthClient health;

    GrpcClients(TestServer server) {
        this.system = ActorSystem.create("grpc-client");
        GrpcClientSettings settings = settings(server);
        this.inference = GRPCInferenceServiceClient.create(settings, system);
        this.health = HealthClient.create(settings, system);
    }

    GrpcClientSettings settings(TestServer server) {
        return GrpcClientSettings.connectToServiceAt("127.0.0.1", server.grpcPort(), system).withTls(false);
    }

    ActorSystem system() {
        return system;
    }

    GRPCInferenceServiceClient inference() {
        return inference;
    }

    ServingStatus health(String service) {
        return await(health.check(HealthCheckRequest.newBuilder().setService(service).build())).getStatus();
    }

    HealthClient healthClient() {
        return health;
    }

    /** The stage's value, or an {@link AssertionError} after {@link TestServer#WAIT}. */
    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the call failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("no answer within " + TestServer.WAIT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The status the call failed with; an {@link AssertionError} when it succeeded. */
    static Status failure(CompletionStage<?> stage) {
        return Status.fromThrowable(failureCause(stage));
    }

    /** What the call failed with; an {@link AssertionError} when it succeeded. */
    static Throwable failureCause(CompletionStage<?> stage) {
        try {
            Object value = stage.toCompletableFuture().get(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected the call to fail, got " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("no answer within " + TestServer.WAIT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        inference.close();
        health.close();
        system.terminate();
    }
}
