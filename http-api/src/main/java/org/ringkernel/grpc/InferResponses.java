package org.ringkernel.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.apache.pekko.grpc.GrpcServiceException;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.grpc.inference.InferTensorContents;
import org.ringkernel.grpc.inference.ModelInferResponse;
import org.ringkernel.grpc.inference.ModelStreamInferResponse;

/**
 * A kernel's result as a {@link ModelInferResponse}: the outputs asked for (all by default) named as in the
 * signature, {@code FP32}, little-endian in {@code raw_output_contents} when the request sent raw inputs, else
 * typed in {@code contents.fp32_contents}; the model and the request id echoed.
 */
final class InferResponses {

    private InferResponses() {
    }

    static ModelInferResponse of(KernelResult result, InferCall.Reply reply) {
        ModelInferResponse.Builder response = ModelInferResponse.newBuilder().setModelName(reply.model())
                .setModelVersion(InferRequests.VERSION).setId(reply.id());
        for (int o = 0; o < reply.names().size(); o++) {
            String name = reply.names().get(o);
            if (!reply.outputs().isEmpty() && !reply.outputs().contains(name)) {
                continue;
            }
            Tensor tensor = result.outputs().get(o);
            ModelInferResponse.InferOutputTensor.Builder output = ModelInferResponse.InferOutputTensor.newBuilder()
                    .setName(name).setDatatype(ModelSignatures.FP32);
            for (int dim : tensor.shape()) {
                output.addShape(dim);
            }
            if (reply.raw()) {
                response.addRawOutputContents(littleEndian(tensor.data()));
            } else {
                InferTensorContents.Builder contents = InferTensorContents.newBuilder();
                for (float value : tensor.data()) {
                    contents.addFp32Contents(value);
                }
                output.setContents(contents);
            }
            response.addOutputs(output);
        }
        if (!reply.outputs().isEmpty()) {
            return inRequestedOrder(response, reply);
        }
        return response.build();
    }

    /** A result on a stream: the response, or the request's error. */
    static ModelStreamInferResponse streamed(KernelResult result, InferCall.Reply reply) {
        if (result.error().isPresent()) {
            return error(GrpcErrors.of(result.error().get()), reply.model(), reply.id());
        }
        return ModelStreamInferResponse.newBuilder().setInferResponse(of(result, reply)).build();
    }

    /** A failed request on a stream: the status and message, with the model and id so the client can match it. */
    static ModelStreamInferResponse error(GrpcServiceException error, String model, String id) {
        return ModelStreamInferResponse.newBuilder().setErrorMessage(GrpcErrors.describe(error))
                .setInferResponse(ModelInferResponse.newBuilder().setModelName(model).setId(id)).build();
    }

    /** The outputs (and their raw contents) reordered as the request listed them. */
    private static ModelInferResponse inRequestedOrder(ModelInferResponse.Builder response, InferCall.Reply reply) {
        List<ModelInferResponse.InferOutputTensor> outputs = List.copyOf(response.getOutputsList());
        List<ByteString> raw = List.copyOf(response.getRawOutputContentsList());
        response.clearOutputs().clearRawOutputContents();
        for (String name : reply.outputs()) {
            for (int i = 0; i < outputs.size(); i++) {
                if (outputs.get(i).getName().equals(name)) {
                    response.addOutputs(outputs.get(i));
                    if (reply.raw()) {
                        response.addRawOutputContents(raw.get(i));
                    }
                }
            }
        }
        return response.build();
    }

    private static ByteString littleEndian(float[] data) {
        ByteBuffer bytes = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(data);
        // The array is this response's alone, so it is handed over rather than copied.
        return UnsafeByteOperations.unsafeWrap(bytes.array());
    }
}
