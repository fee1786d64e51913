package org.ringkernel.bridge.kernel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller asks a kernel to compute: input tensors in the order of the kernel's signature, and named
 * scalar params (those left out take their defaults).
 *
 * @param inputs the input tensors
 * @param params the params by name
 * @param routingKey where a kernel runs as several instances (across a cluster, for one), every request with
 *     the same key goes to the same instance, for callers that keep state or warm data per key; without one,
 *     requests spread over the instances
 */
public record KernelRequest(List<Tensor> inputs, Map<String, Double> params, Optional<String> routingKey) {

    /** Checks the request; the inputs and params are copied. */
    public KernelRequest {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(routingKey, "routingKey");
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i) == null) {
                throw new IllegalArgumentException("input " + i + " is null");
            }
        }
        inputs = List.copyOf(inputs);
        params = Map.copyOf(params);
    }

    /** A request without a routing key. */
    public KernelRequest(List<Tensor> inputs, Map<String, Double> params) {
        this(inputs, params, Optional.empty());
    }

    /** A request of these inputs, without params or routing key. */
    public static KernelRequest of(Tensor... inputs) {
        return new KernelRequest(List.of(inputs), Map.of());
    }

    /** This request with one more param (or that param replaced). */
    public KernelRequest withParam(String name, double value) {
        Map<String, Double> merged = new LinkedHashMap<>(params);
        merged.put(Objects.requireNonNull(name, "param name"), value);
        return new KernelRequest(inputs, merged, routingKey);
    }

    /** This request with a routing key: every request with the same key goes to the same kernel instance. */
    public KernelRequest withRoutingKey(String key) {
        return new KernelRequest(inputs, params, Optional.of(Objects.requireNonNull(key, "routing key")));
    }
}
