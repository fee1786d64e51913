package org.ringkernel.inference;

import java.util.ArrayList;
import java.util.List;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.kernel.TensorSpec;

/**
 * The protocol's answer to an inference request.
 *
 * @param modelName the model that computed it
 * @param modelVersion its version
 * @param id the request's id, echoed
 * @param outputs the outputs the request asked for (all when it named none), in the signature's order
 */
public record InferenceResponse(String modelName, String modelVersion, String id, List<NamedTensor> outputs) {

    /** Copies the outputs. */
    public InferenceResponse {
        outputs = List.copyOf(outputs);
    }

    /** The response to {@code request} of model {@code modelName} whose signature names {@code specs}. */
    public static InferenceResponse of(String modelName, List<TensorSpec> specs, InferenceRequest request,
                                       List<Tensor> results) {
        List<NamedTensor> outputs = new ArrayList<>();
        for (int o = 0; o < results.size() && o < specs.size(); o++) {
            String name = specs.get(o).name();
            if (request.requestedOutputs().isEmpty() || request.requestedOutputs().contains(name)) {
                Tensor tensor = results.get(o);
                long[] shape = new long[tensor.rank()];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = tensor.dim(d);
                }
                outputs.add(new NamedTensor(name, ModelMetadata.FP32, shape, tensor.data()));
            }
        }
        return new InferenceResponse(modelName, ModelMetadata.VERSION, request.id(), outputs);
    }
}
