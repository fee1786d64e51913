package org.ringkernel.grpc;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.grpc.GrpcServiceException;
import org.apache.pekko.grpc.javadsl.Metadata;
import org.apache.pekko.stream.javadsl.Source;
import org.ringkernel.actors.RequestTrace;
import org.ringkernel.actors.RingKernelSettings;
import org.ringkernel.grpc.inference.GRPCInferenceServicePowerApi;
import org.ringkernel.grpc.inference.ModelInferRequest;
import org.ringkernel.grpc.inference.ModelInferResponse;
import org.ringkernel.grpc.inference.ModelMetadataRequest;
import org.ringkernel.grpc.inference.ModelMetadataResponse;
import org.ringkernel.grpc.inference.ModelReadyRequest;
import org.ringkernel.grpc.inference.ModelReadyResponse;
import org.ringkernel.grpc.inference.ModelStreamInferResponse;
import org.ringkernel.grpc.inference.ServerLiveRequest;
import org.ringkernel.grpc.inference.ServerLiveResponse;
import org.ringkernel.grpc.inference.ServerMetadataRequest;
import org.ringkernel.grpc.inference.ServerMetadataResponse;
import org.ringkernel.grpc.inference.ServerReadyRequest;
import org.ringkernel.grpc.inference.ServerReadyResponse;
import org.ringkernel.http.Draining;
import org.ringkernel.inference.InferenceException;
import org.ringkernel.inference.InferenceModels;
import org.ringkernel.inference.InferenceRequest;

/**
 * {@code inference.GRPCInferenceService}: the Open Inference Protocol over gRPC, answered by the inference core
 * ({@link InferenceModels}), each kernel a model of version 1. Every call stays asynchronous: a request is decoded
 * on the calling thread, handed to the kernel's actor, and its answer encoded on whichever thread completes it.
 *
 * <p><b>Deadlines.</b> A unary inference gets the shorter of the client's deadline ({@code grpc-timeout}) and
 * {@code ringkernel.request-timeout}. The kernel checks deadlines once a tick, so a call with less than a tick
 * left is answered DEADLINE_EXCEEDED without being run.
 */
final class InferenceService implements GRPCInferenceServicePowerApi {
    static final String SERVER_NAME = "ringkernel";

    private final InferenceModels models;
    private final RingKernelSettings settings;
    private final Draining draining;
    private final StreamInference streams;

    /** @param draining whether the server is shutting down, when it takes no new inferences */
    InferenceService(InferenceModels models, RingKernelSettings settings, Draining draining) {
        this.models = models;
        this.settings = settings;
        this.draining = draining;
        this.streams = new StreamInference(models);
    }

    @Override
    public CompletionStage<ServerLiveResponse> serverLive(ServerLiveRequest in, Metadata metadata) {
        return CompletableFuture.completedFuture(ServerLiveResponse.newBuilder().setLive(true).build());
    }

    @Override
    public CompletionStage<ServerReadyResponse> serverReady(ServerReadyRequest in, Metadata metadata) {
        return CompletableFuture.completedFuture(ServerReadyResponse.newBuilder()
                .setReady(!draining.draining() && models.serverReady()).build());
    }

    @Override
    public CompletionStage<ModelReadyResponse> modelReady(ModelReadyRequest in, Metadata metadata) {
        return answer(() -> ModelReadyResponse.newBuilder()
                .setReady(!draining.draining() && models.ready(in.getName(), in.getVersion())).build());
    }

    @Override
    public CompletionStage<ServerMetadataResponse> serverMetadata(ServerMetadataRequest in, Metadata metadata) {
        String version = Optional.ofNullable(InferenceService.class.getPackage().getImplementationVersion())
                .orElse("development");
        return CompletableFuture.completedFuture(ServerMetadataResponse.newBuilder().setName(SERVER_NAME)
                .setVersion(version).build());
    }

    @Override
    public CompletionStage<ModelMetadataResponse> modelMetadata(ModelMetadataRequest in, Metadata metadata) {
        return answer(() -> InferResponses.metadata(models.metadata(in.getName(), in.getVersion())));
    }

    @Override
    public CompletionStage<ModelInferResponse> modelInfer(ModelInferRequest in, Metadata metadata) {
        long received = System.nanoTime();
        InferenceRequest request;
        Duration timeLeft;
        try {
            if (draining.draining()) {
                throw GrpcErrors.unavailable("the server is shutting down; send the request again, to another "
                        + "instance");
            }
            request = InferRequests.decode(in);
            timeLeft = timeLeft(GrpcDeadline.of(metadata), received);
        } catch (GrpcServiceException e) {
            return CompletableFuture.failedFuture(e);
        } catch (InferenceException e) {
            return CompletableFuture.failedFuture(GrpcErrors.of(e));
        }
        boolean raw = in.getRawInputContentsCount() > 0;
        return models.infer(in.getModelName(), in.getModelVersion(), request, timeLeft, RequestTrace.NONE)
                .thenApply(response -> InferResponses.of(response, raw))
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(GrpcErrors.translate(failure)));
    }

    @Override
    public Source<ModelStreamInferResponse, NotUsed> modelStreamInfer(Source<ModelInferRequest, NotUsed> in,
                                                                       Metadata metadata) {
        return streams.responses(in);
    }

    /**
     * The kernel's deadline: what is left of the client's, less a tick, within the configured request timeout;
     * zero when less than a tick is left, which the core answers DEADLINE_EXCEEDED without running the request.
     */
    private Duration timeLeft(Optional<Duration> clientDeadline, long received) {
        Duration configured = settings.requestTimeout();
        if (clientDeadline.isEmpty()) {
            return configured;
        }
        Duration left = clientDeadline.get().minusNanos(System.nanoTime() - received)
                .minus(settings.supervision().tickInterval());
        if (left.isNegative()) {
            return Duration.ZERO;
        }
        return left.compareTo(configured) < 0 ? left : configured;
    }

    private static <T> CompletionStage<T> answer(Supplier<T> answer) {
        try {
            return CompletableFuture.completedFuture(answer.get());
        } catch (InferenceException e) {
            return CompletableFuture.failedFuture(GrpcErrors.of(e));
        }
    }
}
