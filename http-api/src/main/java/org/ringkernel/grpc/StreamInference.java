package org.ringkernel.grpc;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.stream.FlowSettings;
import org.ringkernel.actors.stream.KernelFlows;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.grpc.inference.ModelInferRequest;
import org.ringkernel.grpc.inference.ModelStreamInferResponse;
import org.ringkernel.inference.InferenceException;
import org.ringkernel.inference.InferenceModels;
import org.ringkernel.inference.InferenceRequest;

/**
 * {@code ModelStreamInfer}: the requests of one call, each answered on the call's response stream with its id.
 *
 * <p><b>Backpressure.</b> The requests for each model go through {@link KernelFlows#ordered} with the kernel's ring
 * capacity as parallelism, so the stream takes a further request only when the ring has room and a result has gone
 * to the client. A client that sends faster than the kernel drains is slowed by HTTP/2 flow control; one that reads
 * its results slowly slows the stream, which holds at most a ring's worth of results per model.
 *
 * <p><b>Errors.</b> A request that fails (a bad input, an unknown model, the kernel's error) is answered with an
 * {@code error_message} that starts with the status code's name, and the stream goes on.
 *
 * <p><b>Cancellation.</b> A client that cancels stops the stream at once; requests already in a ring run to the end
 * and free their slots.
 */
final class StreamInference {
    /** The most models one stream may address; a stream that names more fails. */
    static final int MAX_MODELS_PER_STREAM = 256;
    /** The substream of requests answered without a kernel; no kernel id is empty. */
    private static final String REJECTED = "";

    private final InferenceModels models;

    StreamInference(InferenceModels models) {
        this.models = models;
    }

    Source<ModelStreamInferResponse, NotUsed> responses(Source<ModelInferRequest, NotUsed> in) {
        return in.map(this::decode)
                .groupBy(MAX_MODELS_PER_STREAM, Decoded::model)
                .via(perModel())
                .mergeSubstreams();
    }

    private Decoded decode(ModelInferRequest request) {
        try {
            KernelRef kernel = models.model(request.getModelName(), request.getModelVersion());
            KernelDefinition definition = kernel.info().definition();
            InferenceRequest decoded = InferRequests.decode(request);
            return new Accepted(new InferCall(kernel, definition, decoded, decoded.toKernelRequest(definition),
                    request.getRawInputContentsCount() > 0));
        } catch (InferenceException e) {
            return new Rejected(InferResponses.error(e, request.getModelName(), request.getId()));
        }
    }

    /** One model's requests: through its kernel when it has one, else straight to their errors. */
    private static Flow<Decoded, ModelStreamInferResponse, NotUsed> perModel() {
        return Flow.<Decoded>create().prefixAndTail(1).flatMapConcat(StreamInference::answer);
    }

    private static Source<ModelStreamInferResponse, NotUsed> answer(
            Pair<List<Decoded>, Source<Decoded, NotUsed>> firstAndRest) {
        if (firstAndRest.first().isEmpty()) {
            return Source.empty();
        }
        Decoded first = firstAndRest.first().get(0);
        Source<Decoded, NotUsed> all = Source.single(first).concat(firstAndRest.second());
        if (first instanceof Accepted accepted) {
            return all.via(throughKernel(accepted.call().kernel()));
        }
        return all.map(decoded -> ((Rejected) decoded).response());
    }

    /**
     * The kernel's flow, in request order, so that each result meets its call in a queue of this materialization's
     * own.
     */
    private static Flow<Decoded, ModelStreamInferResponse, NotUsed> throughKernel(KernelRef kernel) {
        return Flow.<Decoded, ModelStreamInferResponse, NotUsed>fromMaterializer((materializer, attributes) -> {
            Queue<InferCall> calls = new ConcurrentLinkedQueue<>();
            return Flow.<Decoded>create()
                    .map(decoded -> {
                        InferCall call = ((Accepted) decoded).call();
                        calls.add(call);
                        return call.kernelRequest();
                    })
                    .via(KernelFlows.ordered(kernel, FlowSettings.of(kernel.capacity())))
                    .map(result -> calls.remove().answer(result));
        }).mapMaterializedValue(ignored -> NotUsed.getInstance());
    }

    /** A request as decoded: ready for its kernel, or already answered. */
    private sealed interface Decoded permits Accepted, Rejected {
        /** The substream it belongs to. */
        String model();
    }

    private record Accepted(InferCall call) implements Decoded {
        @Override
        public String model() {
            return call.kernel().id();
        }
    }

    private record Rejected(ModelStreamInferResponse response) implements Decoded {
        @Override
        public String model() {
            return REJECTED;
        }
    }
}
