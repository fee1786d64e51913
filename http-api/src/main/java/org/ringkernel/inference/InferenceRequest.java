package org.ringkernel.inference;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.ParamSpec;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.kernel.TensorSpec;

/**
 * An inference request as the protocol states it, before a kernel sees it.
 *
 * @param id the client's request id, echoed in the response (empty when it sent none)
 * @param inputs the named inputs
 * @param parameters the request's parameters: a number (int64 or double) or a string holding one per kernel
 *     param, by the param's name
 * @param requestedOutputs the outputs the client asked for by name; empty for all
 */
public record InferenceRequest(String id, List<NamedTensor> inputs, Map<String, Object> parameters,
                               List<String> requestedOutputs) {
    /**
     * Parameters the protocol or its common extensions define for the server itself rather than for a model;
     * they are accepted and not passed to the kernel.
     */
    static final Set<String> SERVER_PARAMETERS = Set.of("timeout", "priority", "sequence_id", "sequence_start",
            "sequence_end", "binary_data_output", "triton_enable_empty_final_response");

    /** Checks the request; the lists and the map are copied. */
    public InferenceRequest {
        Objects.requireNonNull(id, "id");
        inputs = List.copyOf(inputs);
        parameters = Map.copyOf(parameters);
        requestedOutputs = List.copyOf(requestedOutputs);
    }

    /**
     * The kernel request this asks of {@code kernel}: inputs in the signature's order, params by name.
     *
     * @throws InferenceException with {@link InferenceStatus#INVALID_ARGUMENT}, naming the input, output or
     *     parameter that does not fit and why
     */
    public KernelRequest toKernelRequest(KernelDefinition kernel) {
        String model = "model '" + kernel.id() + "'";
        Map<String, NamedTensor> given = new HashMap<>();
        for (NamedTensor input : inputs) {
            if (given.put(input.name(), input) != null) {
                throw InferenceException.invalid("input '" + input.name() + "' is given twice");
            }
        }
        List<TensorSpec> specs = kernel.signature().inputs();
        for (NamedTensor input : inputs) {
            if (specs.stream().noneMatch(spec -> spec.name().equals(input.name()))) {
                throw InferenceException.invalid(model + " has no input '" + input.name() + "'; its inputs are "
                        + names(specs));
            }
        }
        List<Tensor> tensors = new ArrayList<>();
        String missing = null;
        for (TensorSpec spec : specs) {
            NamedTensor input = given.get(spec.name());
            if (input == null) {
                if (!spec.optional()) {
                    throw InferenceException.invalid(model + " needs input '" + spec.name() + "'; its inputs are "
                            + names(specs));
                }
                missing = missing == null ? spec.name() : missing;
                continue;
            }
            if (missing != null) {
                throw InferenceException.invalid("input '" + input.name() + "' is given without '" + missing
                        + "', which comes before it in " + model);
            }
            tensors.add(tensor(input));
        }
        KernelRequest request = new KernelRequest(tensors, params(kernel, model));
        checkRequestedOutputs(kernel, model);
        return request;
    }

    private static Tensor tensor(NamedTensor input) {
        String name = "input '" + input.name() + "'";
        if (!input.datatype().equals(ModelMetadata.FP32)) {
            throw InferenceException.invalid(name + " has datatype " + input.datatype() + "; kernels take "
                    + ModelMetadata.FP32);
        }
        long[] shape = input.shape();
        if (shape.length < 1 || shape.length > Tensor.MAX_RANK) {
            throw InferenceException.invalid(name + " has shape " + input.shapeText() + "; kernels take a rank from 1 to "
                    + Tensor.MAX_RANK);
        }
        long elements = 1;
        int[] dims = new int[shape.length];
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] < 0 || shape[d] > Integer.MAX_VALUE) {
                throw InferenceException.invalid(name + " has shape " + input.shapeText() + ": dimension " + d
                        + " is out of range");
            }
            dims[d] = (int) shape[d];
            try {
                elements = Math.multiplyExact(elements, shape[d]);
            } catch (ArithmeticException e) {
                throw InferenceException.invalid(name + " has shape " + input.shapeText() + ", more elements than "
                        + "any request holds");
            }
        }
        if (elements != input.data().length) {
            throw InferenceException.invalid(name + " has shape " + input.shapeText() + " (" + elements
                    + " elements) but " + input.data().length + " values");
        }
        try {
            return Tensor.of(dims, input.data());
        } catch (IllegalArgumentException e) {
            throw InferenceException.invalid(name + ": " + e.getMessage());
        }
    }

    private Map<String, Double> params(KernelDefinition kernel, String model) {
        List<ParamSpec> specs = kernel.signature().params();
        Map<String, Double> params = new LinkedHashMap<>();
        for (Map.Entry<String, Object> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            if (specs.stream().noneMatch(spec -> spec.name().equals(name))) {
                if (SERVER_PARAMETERS.contains(name)) {
                    continue;
                }
                throw InferenceException.invalid(model + " has no parameter '" + name + "'; its parameters are "
                        + (specs.isEmpty() ? "none" : specs.stream().map(ParamSpec::name)
                        .collect(Collectors.joining(", "))));
            }
            params.put(name, number(name, parameter.getValue()));
        }
        return params;
    }

    private static double number(String name, Object value) {
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof String text) {
            try {
                return Double.parseDouble(text.strip());
            } catch (NumberFormatException e) {
                throw InferenceException.invalid("parameter '" + name + "' is \"" + text + "\", not a number");
            }
        }
        throw InferenceException.invalid("parameter '" + name + "' is " + value + "; kernel parameters are numbers "
                + "(int64, double, or a string holding one)");
    }

    private void checkRequestedOutputs(KernelDefinition kernel, String model) {
        List<TensorSpec> outputs = kernel.signature().outputs();
        for (String requested : requestedOutputs) {
            if (outputs.stream().noneMatch(spec -> spec.name().equals(requested))) {
                throw InferenceException.invalid(model + " has no output '" + requested + "'; its outputs are "
                        + names(outputs));
            }
        }
    }

    private static String names(List<TensorSpec> specs) {
        return specs.stream().map(spec -> spec.optional() ? spec.name() + " (optional)" : spec.name())
                .collect(Collectors.joining(", "));
    }
}
