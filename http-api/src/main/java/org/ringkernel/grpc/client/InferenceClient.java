package org.ringkernel.grpc.client;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.grpc.GrpcClientSettings;
import org.apache.pekko.stream.javadsl.Flow;
import org.ringkernel.grpc.inference.GRPCInferenceServiceClient;
import org.ringkernel.grpc.inference.InferParameter;
import org.ringkernel.grpc.inference.ModelInferRequest;
import org.ringkernel.grpc.inference.ModelInferResponse;
import org.ringkernel.grpc.inference.ModelMetadataRequest;
import org.ringkernel.grpc.inference.ModelMetadataResponse;
import org.ringkernel.grpc.inference.ModelReadyRequest;
import org.ringkernel.grpc.inference.ModelStreamInferResponse;
import org.ringkernel.grpc.inference.ServerLiveRequest;
import org.ringkernel.grpc.inference.ServerReadyRequest;

/**
 * A client of an Open Inference Protocol v2 gRPC server (this project's, or any other that serves
 * {@code inference.GRPCInferenceService}) for Pekko users: unary inference with a deadline and a request id,
 * streaming inference as a {@link Flow}, readiness and model metadata. It wraps the Pekko gRPC generated client and
 * shares one HTTP/2 connection among all calls.
 *
 * <p>Inputs go as little-endian {@code raw_input_contents}, so the server answers with raw outputs; typed
 * {@code fp32_contents} answers (from other servers) are read as well. A call the server refuses completes
 * exceptionally with an {@link InferenceException} carrying the gRPC status code and the server's message.
 */
public final class InferenceClient implements AutoCloseable {
    private final GRPCInferenceServiceClient grpc;
    /** Runs the deadline timers of calls; gRPC's own contexts need one. */
    private final ScheduledExecutorService deadlines;

    private InferenceClient(GRPCInferenceServiceClient grpc) {
        this.grpc = grpc;
        this.deadlines = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "inference-client-deadlines");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A client of the server at {@code host:port} over plaintext HTTP/2 (h2c), as the server serves it. */
    public static InferenceClient connect(String host, int port, ClassicActorSystemProvider system) {
        return create(GrpcClientSettings.connectToServiceAt(host, port, system).withTls(false), system);
    }

    /** A client with settings of the caller's (TLS, service discovery, a default deadline, ...). */
    public static InferenceClient create(GrpcClientSettings settings, ClassicActorSystemProvider system) {
        return new InferenceClient(GRPCInferenceServiceClient.create(settings, system));
    }

    /** Runs {@code request}; the server does not run it once {@code deadline} has passed (DEADLINE_EXCEEDED). */
    public CompletionStage<InferResult> infer(InferRequest request, Duration deadline) {
        ModelInferRequest message = encode(request);
        return withDeadline(deadline, "ModelInfer", () -> grpc.modelInfer(message)).thenApply(InferenceClient::decode);
    }

    /** As {@link #infer(InferRequest, Duration)} for {@code model} with {@code inputs}, no parameters and no id. */
    public CompletionStage<InferResult> infer(String model, Duration deadline, Tensor... inputs) {
        return infer(InferRequest.of(model, inputs), deadline);
    }

    /**
     * Streaming inference over one {@code ModelStreamInfer} call per materialization: each request gets one reply,
     * matched by its id (give every request a distinct one). Requests flow only as fast as the server takes them
     * (HTTP/2 flow control), and replies only as fast as the downstream reads them. The flow fails with an
     * {@link InferenceException} when the call itself fails; a refused request is a {@link StreamReply.Failed}.
     */
    public Flow<InferRequest, StreamReply, NotUsed> stream() {
        // prefixAndTail(0) hands the whole upstream on as one Source: the request stream of a single call.
        return Flow.<InferRequest>create().map(InferenceClient::encode).prefixAndTail(0)
                .flatMapConcat(requests -> grpc.modelStreamInfer(requests.second()))
                .map(InferenceClient::reply)
                .mapError(Throwable.class, e -> failure("ModelStreamInfer", e));
    }

    /** Whether the server is live, asked with {@code deadline}. */
    public CompletionStage<Boolean> serverLive(Duration deadline) {
        return withDeadline(deadline, "ServerLive", () -> grpc.serverLive(ServerLiveRequest.getDefaultInstance()))
                .thenApply(response -> response.getLive());
    }

    /** Whether the server is ready, asked with {@code deadline}. */
    public CompletionStage<Boolean> serverReady(Duration deadline) {
        return withDeadline(deadline, "ServerReady", () -> grpc.serverReady(ServerReadyRequest.getDefaultInstance()))
                .thenApply(response -> response.getReady());
    }

    /** Whether {@code model} is ready; an unknown model fails with NOT_FOUND. */
    public CompletionStage<Boolean> modelReady(String model, Duration deadline) {
        return withDeadline(deadline, "ModelReady",
                () -> grpc.modelReady(ModelReadyRequest.newBuilder().setName(model).build()))
                .thenApply(response -> response.getReady());
    }

    /** The inputs and outputs of {@code model} as the protocol describes them ({@code -1} for a variable dimension). */
    public CompletionStage<ModelMetadataResponse> metadata(String model, Duration deadline) {
        return withDeadline(deadline, "ModelMetadata",
                () -> grpc.modelMetadata(ModelMetadataRequest.newBuilder().setName(model).build()));
    }

    /** Closes the connection; calls in progress fail. */
    public CompletionStage<Done> closeAsync() {
        deadlines.shutdownNow();
        return grpc.close();
    }

    @Override
    public void close() {
        closeAsync().toCompletableFuture().join();
    }

    /**
     * Starts {@code call} inside a gRPC context with {@code deadline}: the generated client starts its call on this
     * thread, so the call takes the context's deadline, sends it as {@code grpc-timeout} and is cancelled when it
     * passes. The context is closed once the call has completed, which stops its timer.
     */
    private <T> CompletionStage<T> withDeadline(Duration deadline, String call, Supplier<CompletionStage<T>> start) {
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException(call + " needs a positive deadline, got " + deadline);
        }
        // From the root, not the current context: a call started in the callback of an earlier one would otherwise
        // inherit that call's context, cancelled when it closed.
        Context.CancellableContext context = Context.ROOT
                .withDeadline(Deadline.after(deadline.toNanos(), TimeUnit.NANOSECONDS), deadlines);
        CompletionStage<T> started;
        try {
            started = context.call(start::get);
        } catch (Exception e) {
            context.close();
            return CompletableFuture.failedFuture(failure(call, e));
        }
        // A plain future completed on the client's own thread: the generated client's stage would run the callbacks
        // its caller adds on the JDK's common pool, a new thread each on two cores.
        CompletableFuture<T> answer = new CompletableFuture<>();
        started.whenCompleteAsync((value, error) -> {
            context.close();
            if (error != null) {
                answer.completeExceptionally(failure(call, error));
            } else {
                answer.complete(value);
            }
        }, Runnable::run);
        return answer;
    }

    /** {@code error} as an {@link InferenceException} with its gRPC status. */
    private static InferenceException failure(String call, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof InferenceException known) {
            return known;
        }
        return new InferenceException(call, Status.fromThrowable(cause));
    }

    static ModelInferRequest encode(InferRequest request) {
        ModelInferRequest.Builder message = ModelInferRequest.newBuilder().setModelName(request.model())
                .setId(request.id());
        for (Tensor input : request.inputs()) {
            ModelInferRequest.InferInputTensor.Builder tensor = ModelInferRequest.InferInputTensor.newBuilder()
                    .setName(input.name()).setDatatype("FP32");
            for (long dimension : input.shape()) {
                tensor.addShape(dimension);
            }
            message.addInputs(tensor);
            ByteBuffer bytes = ByteBuffer.allocate(input.values().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(input.values());
            message.addRawInputContents(ByteString.copyFrom(bytes.array()));
        }
        for (Map.Entry<String, Number> param : request.params().entrySet()) {
            Number value = param.getValue();
            InferParameter.Builder parameter = InferParameter.newBuilder();
            if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
                parameter.setInt64Param(value.longValue());
            } else {
                parameter.setDoubleParam(value.doubleValue());
            }
            message.putParameters(param.getKey(), parameter.build());
        }
        return message.build();
    }

    static InferResult decode(ModelInferResponse response) {
        List<Tensor> outputs = new ArrayList<>(response.getOutputsCount());
        for (int i = 0; i < response.getOutputsCount(); i++) {
            ModelInferResponse.InferOutputTensor output = response.getOutputs(i);
            if (!"FP32".equals(output.getDatatype())) {
                throw new IllegalStateException("output '" + output.getName() + "' of model '"
                        + response.getModelName() + "' has datatype " + output.getDatatype() + "; this client reads FP32");
            }
            float[] values;
            if (i < response.getRawOutputContentsCount()) {
                ByteString raw = response.getRawOutputContents(i);
                values = new float[raw.size() / Float.BYTES];
                raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            } else {
                values = new float[output.getContents().getFp32ContentsCount()];
                for (int v = 0; v < values.length; v++) {
                    values[v] = output.getContents().getFp32Contents(v);
                }
            }
            long[] shape = output.getShapeList().stream().mapToLong(Long::longValue).toArray();
            outputs.add(new Tensor(output.getName(), shape, values));
        }
        return new InferResult(response.getModelName(), response.getModelVersion(), response.getId(), outputs);
    }

    private static StreamReply reply(ModelStreamInferResponse response) {
        if (!response.getErrorMessage().isEmpty()) {
            return new StreamReply.Failed(response.getInferResponse().getModelName(),
                    response.getInferResponse().getId(), response.getErrorMessage());
        }
        return new StreamReply.Answered(decode(response.getInferResponse()));
    }
}
