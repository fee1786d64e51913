package org.ringkernel.data.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.actors.UnknownKernelException;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * One step of a {@link TensorPipeline}: a kernel that takes the running array as its first input, the stage's
 * fixed arrays (weights, keys, gamma, ...) after it, and the stage's params; its first output becomes the
 * running array. Made by {@link Ops}; immutable, so one stage may sit in many pipelines.
 *
 * <p>Each stage knows the shape rule of its kernel, so a pipeline checks every stage's shapes before it sends
 * anything. Stages of custom kernels take the running array's shape as their output shape, and every fixed
 * array must have that shape too (the rule of element-wise kernels).
 */
public final class TensorStage {
    /** Checks a kernel input shape and gives the kernel output shape, or throws with what does not fit. */
    @FunctionalInterface
    interface KernelShapes {
        int[] output(int[] kernelInput);
    }

    private final String name;
    private final String kernelId;
    private final Optional<KernelDefinition> definition;
    private final List<NdArray> fixedInputs;
    private final Map<String, Double> params;
    private final boolean flattenLeading;
    private final KernelShapes rule;

    TensorStage(String name, String kernelId, Optional<KernelDefinition> definition, List<NdArray> fixedInputs,
                Map<String, Double> params, boolean flattenLeading, KernelShapes rule) {
        this.name = name;
        this.kernelId = kernelId;
        this.definition = definition;
        this.fixedInputs = List.copyOf(fixedInputs);
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        this.flattenLeading = flattenLeading;
        this.rule = rule;
    }

    /**
     * The stage's name as errors show it, e.g. {@code matmul(weights [4, 3])}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The id of the kernel the stage runs.
     *
     * @return the kernel id
     */
    public String kernelId() {
        return kernelId;
    }

    /**
     * The definition the stage registers on first use, for stages made from one.
     *
     * @return the definition, or empty where the kernel is looked up by id
     */
    public Optional<KernelDefinition> definition() {
        return definition;
    }

    /**
     * The params sent with every request, in the order given.
     *
     * @return an unmodifiable map of name to value
     */
    public Map<String, Double> params() {
        return params;
    }

    /**
     * The same stage with one more param (or a param's value replaced); the kernel checks its name and range when
     * the request is bound, and a failure names this stage.
     *
     * @param param the param's name, as the kernel declares it
     * @param value its value
     * @return the new stage
     */
    public TensorStage withParam(String param, double value) {
        Objects.requireNonNull(param, "param");
        Map<String, Double> more = new LinkedHashMap<>(params);
        more.put(param, value);
        String shown = params.containsKey(param) ? name : name + "[" + param + "=" + value + "]";
        return new TensorStage(shown, kernelId, definition, fixedInputs, more, flattenLeading, rule);
    }

    /**
     * The shape this stage gives for an input of {@code inputShape}, checked as a pipeline checks it.
     *
     * @param inputShape the running array's shape
     * @return the output shape
     * @throws TensorShapeException naming the stage, the shape and what does not fit
     */
    public int[] outputShape(int... inputShape) {
        try {
            return output(inputShape.clone());
        } catch (IllegalArgumentException e) {
            throw new TensorShapeException(1, 1, name, inputShape, e.getMessage());
        }
    }

    /** The output shape for {@code input}; throws {@link IllegalArgumentException} saying what does not fit. */
    int[] output(int[] input) {
        Tensor.checkShape(input);
        int[] kernelOutput = rule.output(kernelInputShape(input));
        Tensor.checkShape(kernelOutput);
        if (!flattenLeading) {
            return kernelOutput;
        }
        int[] output = input.clone();
        output[output.length - 1] = kernelOutput[1];
        return output;
    }

    /** The kernel's output shape for a running array of shape {@code input}, which {@link #output} checked. */
    int[] kernelOutputShape(int[] input) {
        return rule.output(kernelInputShape(input));
    }

    /** The running array's shape as the kernel sees it: leading axes folded into rows where the stage says so. */
    private int[] kernelInputShape(int[] input) {
        if (!flattenLeading) {
            return input;
        }
        int rows = 1;
        for (int axis = 0; axis < input.length - 1; axis++) {
            rows *= input[axis];
        }
        return new int[] {rows, input[input.length - 1]};
    }

    /**
     * The kernel's handle; a stage made from a definition registers it where no kernel has its id.
     *
     * @throws IllegalArgumentException when another kernel of the definition's id is registered or built in
     */
    KernelRef resolve(RingKernels kernels) {
        if (definition.isEmpty()) {
            return kernels.kernel(kernelId);
        }
        KernelRef ref;
        try {
            ref = kernels.kernel(kernelId);
        } catch (UnknownKernelException notYet) {
            try {
                return kernels.register(definition.get());
            } catch (IllegalArgumentException registeredMeanwhile) {
                ref = kernels.kernel(kernelId);
            }
        }
        if (!ref.info().definition().equals(definition.get())) {
            throw new IllegalArgumentException("a different kernel '" + kernelId + "' is registered already ("
                    + ref.info().definition().description() + "); give this kernel another id");
        }
        return ref;
    }

    /** The request that runs this stage on {@code running}: it, seen in the kernel's shape, then the fixed arrays. */
    KernelRequest request(NdArray running) {
        List<Tensor> inputs = new ArrayList<>(fixedInputs.size() + 1);
        inputs.add(running.reshape(kernelInputShape(running.shape())).toTensor());
        for (NdArray fixed : fixedInputs) {
            inputs.add(fixed.toTensor());
        }
        return new KernelRequest(inputs, params);
    }

    @Override
    public String toString() {
        return "TensorStage(" + name + ", kernel " + kernelId + ", fixed inputs "
                + fixedInputs.stream().map(input -> Arrays.toString(input.shape())).toList() + ")";
    }
}
