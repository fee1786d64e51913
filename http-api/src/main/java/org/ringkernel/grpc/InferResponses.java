package org.ringkernel.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.ringkernel.grpc.inference.InferTensorContents;
import org.ringkernel.grpc.inference.ModelInferResponse;
import org.ringkernel.grpc.inference.ModelMetadataResponse;
import org.ringkernel.grpc.inference.ModelStreamInferResponse;
import org.ringkernel.inference.InferenceException;
import org.ringkernel.inference.InferenceResponse;
import org.ringkernel.inference.ModelMetadata;
import org.ringkernel.inference.NamedTensor;
import org.ringkernel.inference.TensorMetadata;

/**
 * The inference core's answers as the protocol's messages. Outputs go little-endian in {@code raw_output_contents}
 * when the request sent raw inputs, else typed in {@code contents.fp32_contents}.
 */
final class InferResponses {

    private InferResponses() {
    }

    static ModelInferResponse of(InferenceResponse answer, boolean raw) {
        ModelInferResponse.Builder response = ModelInferResponse.newBuilder().setModelName(answer.modelName())
                .setModelVersion(answer.modelVersion()).setId(answer.id());
        for (NamedTensor tensor : answer.outputs()) {
            ModelInferResponse.InferOutputTensor.Builder output = ModelInferResponse.InferOutputTensor.newBuilder()
                    .setName(tensor.name()).setDatatype(tensor.datatype());
            for (long dim : tensor.shape()) {
                output.addShape(dim);
            }
            if (raw) {
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
        return response.build();
    }

    static ModelMetadataResponse metadata(ModelMetadata model) {
        ModelMetadataResponse.Builder response = ModelMetadataResponse.newBuilder().setName(model.name())
                .addAllVersions(model.versions()).setPlatform(model.platform());
        model.inputs().forEach(tensor -> response.addInputs(tensor(tensor)));
        model.outputs().forEach(tensor -> response.addOutputs(tensor(tensor)));
        return response.build();
    }

    /** A failed request on a stream: the status and message, with the model and id so the client can match it. */
    static ModelStreamInferResponse error(InferenceException error, String model, String id) {
        return ModelStreamInferResponse.newBuilder().setErrorMessage(error.status().name() + ": " + error.getMessage())
                .setInferResponse(ModelInferResponse.newBuilder().setModelName(model).setId(id)).build();
    }

    private static ModelMetadataResponse.TensorMetadata tensor(TensorMetadata tensor) {
        return ModelMetadataResponse.TensorMetadata.newBuilder().setName(tensor.name())
                .setDatatype(tensor.datatype()).addAllShape(tensor.shape()).build();
    }

    private static ByteString littleEndian(float[] data) {
        ByteBuffer bytes = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(data);
        // The array is this response's alone, so it is handed over rather than copied.
        return UnsafeByteOperations.unsafeWrap(bytes.array());
    }
}
