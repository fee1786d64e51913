package org.ringkernel.bridge.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.ringkernel.bridge.ring.RequestDescriptor;

/**
 * What a kernel takes and gives: inputs (trailing ones may be optional), outputs, params with defaults and
 * ranges, and the shape rule. {@link #bind} turns a request into a {@link BoundRequest} or rejects it with a
 * message that names the kernel, the input or param, and what was expected.
 *
 * @param inputs the inputs in order
 * @param outputs the outputs in order
 * @param params the params in the order the kernel reads them
 * @param inputValues which values the inputs may hold; others are rejected
 * @param shapeRule checks input shapes and gives output shapes
 * @param cost estimates what a request costs from its shapes, to choose between the ring and the launch path
 * @param rowwise whether the kernel works row by row: every input and output of a request has the same first
 *     dimension, and row {@code r} of every output depends only on row {@code r} of the inputs and on the params.
 *     Requests with equal params and equal trailing dimensions may then run as one, their inputs stacked along
 *     the first axis, and each takes its rows of the outputs back ({@code KernelFlows} does)
 */
public record KernelSignature(List<TensorSpec> inputs, List<TensorSpec> outputs, List<ParamSpec> params,
                              InputValues inputValues, ShapeRule shapeRule, CostModel cost, boolean rowwise) {

    /** A signature whose cost grows with its requests' bytes ({@link CostModel#proportionalToBytes()}). */
    public KernelSignature(List<TensorSpec> inputs, List<TensorSpec> outputs, List<ParamSpec> params,
                           InputValues inputValues, ShapeRule shapeRule) {
        this(inputs, outputs, params, inputValues, shapeRule, CostModel.proportionalToBytes());
    }

    /** A signature that does not declare itself {@linkplain #rowwise() row-wise}. */
    public KernelSignature(List<TensorSpec> inputs, List<TensorSpec> outputs, List<ParamSpec> params,
                           InputValues inputValues, ShapeRule shapeRule, CostModel cost) {
        this(inputs, outputs, params, inputValues, shapeRule, cost, false);
    }

    /** Checks the signature; the lists are copied. */
    public KernelSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        params = List.copyOf(params);
        Objects.requireNonNull(inputValues, "inputValues");
        Objects.requireNonNull(shapeRule, "shapeRule");
        Objects.requireNonNull(cost, "cost");
        if (inputs.isEmpty() || inputs.size() > RequestDescriptor.MAX_INPUTS) {
            throw new IllegalArgumentException("a kernel takes 1 to " + RequestDescriptor.MAX_INPUTS + " inputs");
        }
        if (outputs.isEmpty() || outputs.size() > RequestDescriptor.MAX_OUTPUTS) {
            throw new IllegalArgumentException("a kernel gives 1 to " + RequestDescriptor.MAX_OUTPUTS + " outputs");
        }
        if (params.size() > RequestDescriptor.MAX_PARAMS) {
            throw new IllegalArgumentException("a kernel takes at most " + RequestDescriptor.MAX_PARAMS + " params");
        }
        boolean optionalSeen = false;
        for (TensorSpec input : inputs) {
            if (optionalSeen && !input.optional()) {
                throw new IllegalArgumentException("input '" + input.name() + "' is required but follows an optional one");
            }
            optionalSeen |= input.optional();
        }
    }

    /** This signature with {@code cost} as its cost estimate, for kernels that know their work better. */
    public KernelSignature withCost(CostModel cost) {
        return new KernelSignature(inputs, outputs, params, inputValues, shapeRule, cost, rowwise);
    }

    /** This signature declared {@linkplain #rowwise() row-wise}, for kernels that compute each row on its own. */
    public KernelSignature asRowwise() {
        return new KernelSignature(inputs, outputs, params, inputValues, shapeRule, cost, true);
    }

    /** Inputs a request must carry. */
    public int requiredInputs() {
        // Called for every request bound: a plain loop, where a stream would cost more than the rest of the check.
        int required = 0;
        for (TensorSpec input : inputs) {
            required += input.optional() ? 0 : 1;
        }
        return required;
    }

    /**
     * Checks {@code request} against this signature.
     *
     * @throws InvalidKernelInputException naming the kernel and what is wrong
     */
    public BoundRequest bind(String kernelId, KernelRequest request) {
        BoundRequest bound = bindForStaging(kernelId, request);
        InputCheck check = bound.inputCheck();
        List<Tensor> tensors = request.inputs();
        for (int i = 0; i < tensors.size() && !check.isNone(); i++) {
            // A tensor over a buffer is checked where it lies, so binding it copies nothing.
            if (!check.accepts(tensors.get(i))) {
                throw check.rejection(i, tensors.get(i));
            }
        }
        return new BoundRequest(request, bound.params(), bound.outputShapes(), bound.outputSizes());
    }

    /**
     * Checks {@code request} against this signature but its input values, whose check the returned request
     * carries for the copy into the arena to make ({@link BoundRequest#inputCheck()}).
     *
     * @throws InvalidKernelInputException naming the kernel and what is wrong
     */
    public BoundRequest bindForStaging(String kernelId, KernelRequest request) {
        checkInputCount(kernelId, request.inputs().size());
        float[] resolved = resolveParams(kernelId, request.params());
        int[][] shapes = shapeRule.outputShapes(new ShapeCheck(kernelId, inputs, request.inputs(), params, resolved));
        if (shapes.length != outputs.size()) {
            throw new IllegalStateException("kernel '" + kernelId + "': shape rule gave " + shapes.length
                    + " output shapes for " + outputs.size() + " outputs");
        }
        int[] sizes = new int[shapes.length];
        for (int o = 0; o < shapes.length; o++) {
            long size = Tensor.checkShape(shapes[o]);
            if (size > Integer.MAX_VALUE) {
                throw new InvalidKernelInputException(kernelId, null, "output '" + outputs.get(o).name() + "' would hold "
                        + size + " elements, more than " + Integer.MAX_VALUE);
            }
            sizes[o] = (int) size;
        }
        return new BoundRequest(request, resolved, shapes, sizes, inputValues == InputValues.ANY ? InputCheck.NONE
                : new InputCheck(kernelId, inputs, inputValues));
    }

    private void checkInputCount(String kernelId, int count) {
        int required = requiredInputs();
        if (count < required || count > inputs.size()) {
            String names = inputs.stream()
                    .map(input -> input.optional() ? input.name() + " (optional)" : input.name())
                    .collect(Collectors.joining(", "));
            String expected = required == inputs.size() ? String.valueOf(required) : required + " to " + inputs.size();
            throw new InvalidKernelInputException(kernelId, null,
                    "expected " + expected + " inputs (" + names + "), got " + count);
        }
    }

    private float[] resolveParams(String kernelId, Map<String, Double> given) {
        List<String> unknown = new ArrayList<>();
        for (String name : given.keySet()) {
            if (params.stream().noneMatch(p -> p.name().equals(name))) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            String known = params.isEmpty() ? "it takes none"
                    : "it takes " + params.stream().map(ParamSpec::name).collect(Collectors.joining(", "));
            throw new InvalidKernelInputException(kernelId, "param '" + unknown.get(0) + "'", "unknown param; " + known);
        }
        float[] resolved = new float[params.size()];
        for (int p = 0; p < params.size(); p++) {
            ParamSpec spec = params.get(p);
            Double value = given.get(spec.name());
            if (value == null) {
                resolved[p] = (float) spec.defaultValue();
                continue;
            }
            if (!spec.accepts(value)) {
                throw new InvalidKernelInputException(kernelId, "param '" + spec.name() + "'",
                        "expected " + spec.expectation() + ", got " + value);
            }
            resolved[p] = value.floatValue();
        }
        return resolved;
    }
}
