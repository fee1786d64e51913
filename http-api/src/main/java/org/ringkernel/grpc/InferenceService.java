package org.ringkernel.grpc;

import io.grpc.Status;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.grpc.GrpcServiceException;
import org.apache.pekko.grpc.javadsl.Metadata;
import org.apache.pekko.stream.javadsl.Source;
import org.ringkernel.actors.KernelInfo;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.bridge.kernel.KernelSignature;
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

/**
 * {@code inference.GRPCInferenceService}: the Open Inference Protocol, each kernel a model of version 1. Every call
 * stays asynchronous: a request is checked on the calling thread, then handed to the kernel's actor, and its
 * answer is mapped on whichever thread completes it.
 *
 * <p><b>Deadlines.</b> A unary inference gets the shorter of the client's deadline ({@code grpc-timeout}) and
 * {@code ringkernel.request-timeout}. The kernel checks deadlines once a tick, so a call with less than a tick
 * left is answered DEADLINE_EXCEEDED without being run.
 */
public final class InferenceService implements GRPCInferenceServicePowerApi {
    static final String SERVER_NAME = "ringkernel";
    static final String PLATFORM = "ringkernel";

    private final RingKernels kernels;
    private final Draining draining;
    private final InferRequests requests;
    private final StreamInference streams;

    /** @param draining whether the server is shutting down, when it takes no new inferences */
    public InferenceService(RingKernels kernels, Draining draining) {
        this.kernels = kernels;
        this.draining = draining;
        this.requests = new InferRequests(kernels);
        this.streams = new StreamInference(requests);
    }

    @Override
    public CompletionStage<ServerLiveResponse> serverLive(ServerLiveRequest in, Metadata metadata) {
        return done(ServerLiveResponse.newBuilder().setLive(true).build());
    }

    @Override
    public CompletionStage<ServerReadyResponse> serverReady(ServerReadyRequest in, Metadata metadata) {
        return done(ServerReadyResponse.newBuilder().setReady(!draining.draining() && kernels.readiness().ready())
                .build());
    }

    @Override
    public CompletionStage<ModelReadyResponse> modelReady(ModelReadyRequest in, Metadata metadata) {
        return answer(() -> {
            KernelRef kernel = requests.kernel(in.getName(), in.getVersion());
            return ModelReadyResponse.newBuilder().setReady(!draining.draining() && kernel.info().available()).build();
        });
    }

    @Override
    public CompletionStage<ServerMetadataResponse> serverMetadata(ServerMetadataRequest in, Metadata metadata) {
        String version = Optional.ofNullable(InferenceService.class.getPackage().getImplementationVersion())
                .orElse("development");
        return done(ServerMetadataResponse.newBuilder().setName(SERVER_NAME).setVersion(version).build());
    }

    @Override
    public CompletionStage<ModelMetadataResponse> modelMetadata(ModelMetadataRequest in, Metadata metadata) {
        return answer(() -> {
            KernelInfo info = requests.kernel(in.getName(), in.getVersion()).info();
            KernelSignature signature = info.definition().signature();
            return ModelMetadataResponse.newBuilder().setName(info.id()).addVersions(InferRequests.VERSION)
                    .setPlatform(PLATFORM).addAllInputs(ModelSignatures.inputs(signature))
                    .addAllOutputs(ModelSignatures.outputs(signature)).build();
        });
    }

    @Override
    public CompletionStage<ModelInferResponse> modelInfer(ModelInferRequest in, Metadata metadata) {
        long received = System.nanoTime();
        InferCall call;
        Duration timeout;
        try {
            if (draining.draining()) {
                throw new GrpcServiceException(Status.UNAVAILABLE.withDescription(
                        "the server is shutting down; send the request again, to another instance"));
            }
            call = requests.decode(in);
            timeout = timeout(GrpcDeadline.of(metadata), received);
        } catch (GrpcServiceException e) {
            return CompletableFuture.failedFuture(e);
        }
        return call.kernel().process(call.request(), timeout)
                .thenApply(result -> InferResponses.of(result, call.reply()))
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(GrpcErrors.translate(failure)));
    }

    @Override
    public Source<ModelStreamInferResponse, NotUsed> modelStreamInfer(Source<ModelInferRequest, NotUsed> in,
                                                                       Metadata metadata) {
        return streams.responses(in);
    }

    /** The kernel's deadline: what is left of the client's, less a tick, within the configured request timeout. */
    private Duration timeout(Optional<Duration> clientDeadline, long received) {
        Duration configured = kernels.settings().requestTimeout();
        if (clientDeadline.isEmpty()) {
            return configured;
        }
        Duration left = clientDeadline.get().minusNanos(System.nanoTime() - received)
                .minus(kernels.settings().supervision().tickInterval());
        if (left.isNegative() || left.isZero()) {
            throw GrpcErrors.deadlineExceeded("the call's deadline (" + GrpcDeadline.HEADER + " "
                    + clientDeadline.get().toNanos() / 1000 + " us) leaves less than the kernel's tick ("
                    + kernels.settings().supervision().tickInterval().toMillis() + " ms); the request was not run");
        }
        return left.compareTo(configured) < 0 ? left : configured;
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    private static <T> CompletionStage<T> answer(Supplier<T> answer) {
        try {
            return done(answer.get());
        } catch (GrpcServiceException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
