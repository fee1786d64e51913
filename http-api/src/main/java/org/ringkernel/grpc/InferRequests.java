package org.ringkernel.grpc;

import com.google.protobuf.ByteString;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ringkernel.grpc.inference.InferParameter;
import org.ringkernel.grpc.inference.InferTensorContents;
import org.ringkernel.grpc.inference.ModelInferRequest;
import org.ringkernel.inference.InferenceException;
import org.ringkernel.inference.InferenceRequest;
import org.ringkernel.inference.InferenceStatus;
import org.ringkernel.inference.NamedTensor;

/**
 * A {@link ModelInferRequest} as the protocol's {@link InferenceRequest}: what only the gRPC encoding can get wrong
 * is checked here, the rest (names, datatypes, shapes against data, params) by the inference core. Tensor data is
 * {@code FP32}, either typed in {@code contents.fp32_contents} or, for every input at once, little-endian in
 * {@code raw_input_contents}. Parameters are int64, uint64, double, or a string holding a number.
 */
final class InferRequests {

    private InferRequests() {
    }

    /**
     * @throws InferenceException INVALID_ARGUMENT for data that does not decode
     */
    static InferenceRequest decode(ModelInferRequest request) {
        boolean raw = request.getRawInputContentsCount() > 0;
        if (raw && request.getRawInputContentsCount() != request.getInputsCount()) {
            throw invalid("raw_input_contents has " + request.getRawInputContentsCount() + " entries for "
                    + request.getInputsCount() + " inputs; it needs one per input, in the order of inputs");
        }
        List<NamedTensor> inputs = new ArrayList<>();
        for (int i = 0; i < request.getInputsCount(); i++) {
            ModelInferRequest.InferInputTensor input = request.getInputs(i);
            long[] shape = input.getShapeList().stream().mapToLong(Long::longValue).toArray();
            float[] data = raw ? rawData(input, request.getRawInputContents(i)) : typedData(input);
            inputs.add(new NamedTensor(input.getName(), input.getDatatype(), shape, data));
        }
        Map<String, Object> parameters = new HashMap<>();
        request.getParametersMap().forEach((name, value) -> parameters.put(name, value(name, value)));
        List<String> outputs = request.getOutputsList().stream()
                .map(ModelInferRequest.InferRequestedOutputTensor::getName).toList();
        return new InferenceRequest(request.getId(), inputs, parameters, outputs);
    }

    private static float[] rawData(ModelInferRequest.InferInputTensor input, ByteString raw) {
        if (input.hasContents()) {
            throw invalid("input '" + input.getName() + "' has contents while the request has raw_input_contents; "
                    + "give every input's data one way");
        }
        if (raw.size() % Float.BYTES != 0) {
            throw invalid("input '" + input.getName() + "': its raw_input_contents entry has " + raw.size()
                    + " bytes, not a whole number of 4-byte FP32 values");
        }
        float[] data = new float[raw.size() / Float.BYTES];
        raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        return data;
    }

    private static float[] typedData(ModelInferRequest.InferInputTensor input) {
        InferTensorContents contents = input.getContents();
        int others = contents.getBoolContentsCount() + contents.getIntContentsCount() + contents.getInt64ContentsCount()
                + contents.getUintContentsCount() + contents.getUint64ContentsCount() + contents.getFp64ContentsCount()
                + contents.getBytesContentsCount();
        if (others > 0) {
            throw invalid("input '" + input.getName() + "': kernels take FP32 values in contents.fp32_contents, "
                    + "but another contents field holds " + others + " values");
        }
        float[] data = new float[contents.getFp32ContentsCount()];
        for (int i = 0; i < data.length; i++) {
            data[i] = contents.getFp32Contents(i);
        }
        return data;
    }

    /** A parameter's value as the core takes it: a number, or a string that should hold one. */
    private static Object value(String name, InferParameter value) {
        return switch (value.getParameterChoiceCase()) {
            case INT64_PARAM -> value.getInt64Param();
            case UINT64_PARAM -> Double.parseDouble(Long.toUnsignedString(value.getUint64Param()));
            case DOUBLE_PARAM -> value.getDoubleParam();
            case STRING_PARAM -> value.getStringParam();
            case BOOL_PARAM -> value.getBoolParam();
            case PARAMETERCHOICE_NOT_SET -> throw invalid("parameter '" + name + "' has no value");
        };
    }

    private static InferenceException invalid(String message) {
        return new InferenceException(InferenceStatus.INVALID_ARGUMENT, message);
    }
}
