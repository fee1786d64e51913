package org.ringkernel.grpc.client;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One inference: the model (a kernel's name), its inputs by name, its numeric parameters (a {@link Long} or
 * {@link Integer} goes as the protocol's int64 parameter, any other number as a double) and an id that the server
 * echoes in the answer ({@code ""} for none).
 */
public record InferRequest(String model, List<Tensor> inputs, Map<String, Number> params, String id) {
    /** Checks the request; the inputs and params are copied. */
    public InferRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(id, "id");
        inputs = List.copyOf(inputs);
        params = Map.copyOf(params);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("a request to model '" + model + "' needs at least one input");
        }
    }

    /** A request without parameters or id. */
    public static InferRequest of(String model, Tensor... inputs) {
        return new InferRequest(model, List.of(inputs), Map.of(), "");
    }

    /** This request with the id {@code newId}. */
    public InferRequest withId(String newId) {
        return new InferRequest(model, inputs, params, newId);
    }

    /** This request with the params {@code newParams}. */
    public InferRequest withParams(Map<String, Number> newParams) {
        return new InferRequest(model, inputs, newParams, id);
    }
}
