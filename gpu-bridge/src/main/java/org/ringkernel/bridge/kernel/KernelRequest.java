package org.ringkernel.bridge.kernel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a caller asks a kernel to compute: input tensors in the order of the kernel's signature, and named
 * scalar params (those left out take their defaults).
 */
public record KernelRequest(List<Tensor> inputs, Map<String, Double> params) {

    public KernelRequest {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(params, "params");
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i) == null) {
                throw new IllegalArgumentException("input " + i + " is null");
            }
        }
        inputs = List.copyOf(inputs);
        params = Map.copyOf(params);
    }

    public static KernelRequest of(Tensor... inputs) {
        return new KernelRequest(List.of(inputs), Map.of());
    }

    /** This request with one more param (or that param replaced). */
    public KernelRequest withParam(String name, double value) {
        Map<String, Double> merged = new LinkedHashMap<>(params);
        merged.put(Objects.requireNonNull(name, "param name"), value);
        return new KernelRequest(inputs, merged);
    }
}
