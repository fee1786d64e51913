package org.ringkernel.grpc.client;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;

/** The answer to an {@link InferRequest}: the model and version that ran it, the request's id and the outputs. */
public record InferResult(String model, String version, String id, List<Tensor> outputs) {
    /** Copies the outputs. */
    public InferResult {
        outputs = List.copyOf(outputs);
    }

    /** The output named {@code name}. */
    public Tensor output(String name) {
        for (Tensor output : outputs) {
            if (output.name().equals(name)) {
                return output;
            }
        }
        throw new NoSuchElementException("model '" + model + "' returned no output '" + name + "'; its outputs are "
                + outputs.stream().map(Tensor::name).collect(Collectors.joining(", ")));
    }
}
