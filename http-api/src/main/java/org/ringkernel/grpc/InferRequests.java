package org.ringkernel.grpc;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.KernelRequestException;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.KernelSignature;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.kernel.TensorSpec;
import org.ringkernel.grpc.inference.InferParameter;
import org.ringkernel.grpc.inference.InferTensorContents;
import org.ringkernel.grpc.inference.ModelInferRequest;

/**
 * Turns a {@link ModelInferRequest} into the kernel's request, checking it against the kernel's signature first so
 * that a bad request is answered INVALID_ARGUMENT (naming the input, param or output and the numbers) without
 * reaching the kernel. Inputs are matched to the signature by name; their data is {@code FP32}, either typed in
 * {@code contents.fp32_contents} or, for every input at once, little-endian in {@code raw_input_contents}.
 * Params come from the request's {@code parameters}: int64, uint64, double, bool (1 or 0) or a string holding a
 * number; the kernel checks their names and ranges.
 */
final class InferRequests {
    /** The only model version a kernel has. */
    static final String VERSION = "1";

    private final RingKernels kernels;

    InferRequests(RingKernels kernels) {
        this.kernels = kernels;
    }

    /**
     * @throws org.apache.pekko.grpc.GrpcServiceException NOT_FOUND for an unknown model or version,
     *     INVALID_ARGUMENT for a request that does not fit the kernel
     */
    InferCall decode(ModelInferRequest request) {
        KernelRef kernel = kernel(request.getModelName(), request.getModelVersion());
        KernelSignature signature = kernel.info().definition().signature();
        String model = request.getModelName();
        boolean raw = request.getRawInputContentsCount() > 0;
        if (raw && request.getRawInputContentsCount() != request.getInputsCount()) {
            throw GrpcErrors.invalidArgument("model '" + model + "': raw_input_contents has "
                    + request.getRawInputContentsCount() + " entries for " + request.getInputsCount()
                    + " inputs; it needs one per input, in the order of inputs");
        }
        Map<String, Tensor> byName = new HashMap<>();
        for (int i = 0; i < request.getInputsCount(); i++) {
            ModelInferRequest.InferInputTensor input = request.getInputs(i);
            if (signature.inputs().stream().noneMatch(spec -> spec.name().equals(input.getName()))) {
                throw GrpcErrors.invalidArgument("model '" + model + "' has no input '" + input.getName()
                        + "'; its inputs are " + names(signature.inputs()));
            }
            if (byName.put(input.getName(), tensor(model, input, raw ? request.getRawInputContents(i) : null)) != null) {
                throw GrpcErrors.invalidArgument("model '" + model + "': input '" + input.getName()
                        + "' is given twice");
            }
        }
        List<Tensor> inputs = new ArrayList<>();
        for (TensorSpec spec : signature.inputs()) {
            Tensor tensor = byName.get(spec.name());
            if (tensor == null && !spec.optional()) {
                throw GrpcErrors.invalidArgument("model '" + model + "': input '" + spec.name()
                        + "' is missing; its inputs are " + names(signature.inputs()));
            }
            if (tensor != null && inputs.size() < signature.inputs().indexOf(spec)) {
                throw GrpcErrors.invalidArgument("model '" + model + "': input '" + spec.name() + "' is given but '"
                        + signature.inputs().get(inputs.size()).name() + "' before it is not; optional inputs are "
                        + "left out from the last one back");
            }
            if (tensor != null) {
                inputs.add(tensor);
            }
        }
        return new InferCall(kernel, new KernelRequest(inputs, params(model, request.getParametersMap())),
                new InferCall.Reply(model, request.getId(),
                        signature.outputs().stream().map(TensorSpec::name).toList(),
                        requestedOutputs(model, request, signature), raw));
    }

    /**
     * @throws org.apache.pekko.grpc.GrpcServiceException NOT_FOUND for an unknown model or version
     */
    KernelRef kernel(String model, String version) {
        KernelRef kernel;
        try {
            kernel = kernels.kernel(model);
        } catch (KernelRequestException e) {
            throw GrpcErrors.of(e);
        }
        if (!version.isEmpty() && !version.equals(VERSION)) {
            throw GrpcErrors.notFound("model '" + model + "' has no version '" + version + "'; its only version is "
                    + VERSION);
        }
        return kernel;
    }

    private static Tensor tensor(String model, ModelInferRequest.InferInputTensor input, ByteString raw) {
        String what = "model '" + model + "': input '" + input.getName() + "'";
        if (!input.getDatatype().equals(ModelSignatures.FP32)) {
            throw GrpcErrors.invalidArgument(what + " has datatype '" + input.getDatatype() + "'; this server takes "
                    + ModelSignatures.FP32 + " only");
        }
        if (input.getShapeCount() < 1 || input.getShapeCount() > Tensor.MAX_RANK) {
            throw GrpcErrors.invalidArgument(what + ": shape " + input.getShapeList() + " has rank "
                    + input.getShapeCount() + "; ranks are 1 to " + Tensor.MAX_RANK);
        }
        int[] shape = new int[input.getShapeCount()];
        long elements = 1;
        for (int axis = 0; axis < shape.length; axis++) {
            long dim = input.getShape(axis);
            if (dim < 1 || dim > Integer.MAX_VALUE) {
                throw GrpcErrors.invalidArgument(what + ": dimension " + axis + " of shape " + input.getShapeList()
                        + " is " + dim + "; dimensions are 1 to " + Integer.MAX_VALUE);
            }
            shape[axis] = (int) dim;
            elements *= dim;
            if (elements > Integer.MAX_VALUE) {
                throw GrpcErrors.invalidArgument(what + ": shape " + input.getShapeList() + " holds more than "
                        + Integer.MAX_VALUE + " elements");
            }
        }
        float[] data = raw != null ? rawData(what, input, raw) : typedData(what, input);
        if (data.length != elements) {
            throw GrpcErrors.invalidArgument(what + ": shape " + input.getShapeList() + " holds " + elements
                    + " elements but the data has " + data.length);
        }
        return Tensor.of(shape, data);
    }

    private static float[] rawData(String what, ModelInferRequest.InferInputTensor input, ByteString raw) {
        if (input.hasContents()) {
            throw GrpcErrors.invalidArgument(what + " has contents while the request has raw_input_contents; "
                    + "give every input's data one way");
        }
        if (raw.size() % Float.BYTES != 0) {
            throw GrpcErrors.invalidArgument(what + ": its raw_input_contents entry has " + raw.size()
                    + " bytes, not a whole number of 4-byte FP32 elements");
        }
        float[] data = new float[raw.size() / Float.BYTES];
        raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        return data;
    }

    private static float[] typedData(String what, ModelInferRequest.InferInputTensor input) {
        InferTensorContents contents = input.getContents();
        int others = contents.getBoolContentsCount() + contents.getIntContentsCount() + contents.getInt64ContentsCount()
                + contents.getUintContentsCount() + contents.getUint64ContentsCount() + contents.getFp64ContentsCount()
                + contents.getBytesContentsCount();
        if (others > 0) {
            throw GrpcErrors.invalidArgument(what + ": FP32 data goes in contents.fp32_contents, but another "
                    + "contents field holds " + others + " elements");
        }
        float[] data = new float[contents.getFp32ContentsCount()];
        for (int i = 0; i < data.length; i++) {
            data[i] = contents.getFp32Contents(i);
        }
        return data;
    }

    private static Map<String, Double> params(String model, Map<String, InferParameter> parameters) {
        Map<String, Double> params = new HashMap<>();
        parameters.forEach((name, value) -> params.put(name, number(model, name, value)));
        return params;
    }

    private static double number(String model, String name, InferParameter value) {
        String what = "model '" + model + "': parameter '" + name + "'";
        return switch (value.getParameterChoiceCase()) {
            case INT64_PARAM -> value.getInt64Param();
            case UINT64_PARAM -> Double.parseDouble(Long.toUnsignedString(value.getUint64Param()));
            case DOUBLE_PARAM -> value.getDoubleParam();
            case BOOL_PARAM -> value.getBoolParam() ? 1 : 0;
            case STRING_PARAM -> {
                try {
                    yield Double.parseDouble(value.getStringParam().strip());
                } catch (NumberFormatException e) {
                    throw GrpcErrors.invalidArgument(what + ": '" + value.getStringParam() + "' is not a number");
                }
            }
            case PARAMETERCHOICE_NOT_SET -> throw GrpcErrors.invalidArgument(what + " has no value");
        };
    }

    private static List<String> requestedOutputs(String model, ModelInferRequest request, KernelSignature signature) {
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ModelInferRequest.InferRequestedOutputTensor output : request.getOutputsList()) {
            if (signature.outputs().stream().noneMatch(spec -> spec.name().equals(output.getName()))) {
                throw GrpcErrors.invalidArgument("model '" + model + "' has no output '" + output.getName()
                        + "'; its outputs are " + names(signature.outputs()));
            }
            if (!seen.add(output.getName())) {
                throw GrpcErrors.invalidArgument("model '" + model + "': output '" + output.getName()
                        + "' is requested twice");
            }
            names.add(output.getName());
        }
        return names;
    }

    private static String names(List<TensorSpec> specs) {
        return specs.stream().map(spec -> spec.optional() ? spec.name() + " (optional)" : spec.name())
                .collect(Collectors.joining(", "));
    }
}
