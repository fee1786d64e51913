package org.ringkernel.grpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ringkernel.bridge.kernel.KernelSignature;
import org.ringkernel.bridge.kernel.TensorSpec;
import org.ringkernel.grpc.inference.ModelMetadataResponse;

/**
 * A kernel's signature as the protocol's model metadata: every tensor {@code FP32}, each named as in the
 * signature, its shape from the signature's shape pattern.
 *
 * <table>
 *   <caption>Shape patterns and the dims they give</caption>
 *   <tr><th>pattern</th><th>dims</th><th>why</th></tr>
 *   <tr><td>{@code [n]}, {@code [m, k]}</td><td>{@code [-1]}, {@code [-1, -1]}</td><td>one dim per name, each of
 *   any size; a number stays that number</td></tr>
 *   <tr><td>{@code same as x}</td><td>the dims of {@code x}</td><td>the same pattern</td></tr>
 *   <tr><td>{@code any shape}, {@code [..., n]}</td><td>{@code [-1]}</td><td>the rank varies, which the protocol
 *   cannot say; the request's own shape is what counts</td></tr>
 * </table>
 */
final class ModelSignatures {
    static final String FP32 = "FP32";
    private static final Pattern DIMS = Pattern.compile("\\[([^\\]]*)\\]");
    private static final Pattern SAME_AS = Pattern.compile("same as (\\w+)");

    private ModelSignatures() {
    }

    static List<ModelMetadataResponse.TensorMetadata> inputs(KernelSignature signature) {
        return tensors(signature.inputs(), signature);
    }

    static List<ModelMetadataResponse.TensorMetadata> outputs(KernelSignature signature) {
        return tensors(signature.outputs(), signature);
    }

    private static List<ModelMetadataResponse.TensorMetadata> tensors(List<TensorSpec> specs, KernelSignature signature) {
        List<ModelMetadataResponse.TensorMetadata> tensors = new ArrayList<>();
        for (TensorSpec spec : specs) {
            tensors.add(ModelMetadataResponse.TensorMetadata.newBuilder().setName(spec.name()).setDatatype(FP32)
                    .addAllShape(dims(spec, signature, 0)).build());
        }
        return tensors;
    }

    private static List<Long> dims(TensorSpec spec, KernelSignature signature, int depth) {
        Matcher same = SAME_AS.matcher(spec.shape().strip());
        if (same.matches() && depth < signature.inputs().size()) {
            Optional<TensorSpec> other = signature.inputs().stream()
                    .filter(input -> input.name().equals(same.group(1))).findFirst();
            if (other.isPresent()) {
                return dims(other.get(), signature, depth + 1);
            }
        }
        Matcher dims = DIMS.matcher(spec.shape().strip());
        if (!dims.matches() || dims.group(1).contains("...")) {
            return List.of(-1L);
        }
        List<Long> shape = new ArrayList<>();
        for (String dim : dims.group(1).split(",")) {
            String name = dim.strip();
            shape.add(name.matches("\\d{1,9}") ? Long.parseLong(name) : -1L);
        }
        return shape;
    }
}
