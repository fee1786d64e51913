package org.ringkernel.bridge.kernel;

import java.util.Arrays;
import java.util.List;

/**
 * The view a {@link ShapeRule} gets of a request: its input shapes and params, and helpers that throw an
 * {@link InvalidKernelInputException} naming the kernel, the input and what was expected.
 */
public final class ShapeCheck {
    private final String kernelId;
    private final List<TensorSpec> specs;
    private final List<Tensor> inputs;
    private final List<ParamSpec> paramSpecs;
    private final float[] params;

    ShapeCheck(String kernelId, List<TensorSpec> specs, List<Tensor> inputs, List<ParamSpec> paramSpecs,
               float[] params) {
        this.kernelId = kernelId;
        this.specs = specs;
        this.inputs = inputs;
        this.paramSpecs = paramSpecs;
        this.params = params;
    }

    /** The kernel the request is for. */
    public String kernelId() {
        return kernelId;
    }

    /** How many inputs the request carries (optional trailing inputs may be absent). */
    public int inputCount() {
        return inputs.size();
    }

    /** Whether the request carries this input. */
    public boolean present(int input) {
        return input < inputs.size();
    }

    /** A copy of an input's shape. */
    public int[] shape(int input) {
        return inputs.get(input).shape();
    }

    /** The number of dimensions of an input. */
    public int rank(int input) {
        return inputs.get(input).rank();
    }

    /** Dimension {@code axis} of an input; negative axes count from the end. */
    public int dim(int input, int axis) {
        Tensor tensor = inputs.get(input);
        return tensor.dim(axis < 0 ? tensor.rank() + axis : axis);
    }

    /** The resolved value of a param (the request's, or the default). */
    public float param(String name) {
        for (int p = 0; p < paramSpecs.size(); p++) {
            if (paramSpecs.get(p).name().equals(name)) {
                return params[p];
            }
        }
        throw new IllegalArgumentException("kernel '" + kernelId + "' declares no param '" + name + "'");
    }

    /**
     * Checks that an input has from {@code minRank} to {@code maxRank} dimensions.
     *
     * @throws InvalidKernelInputException naming the input and its shape when it has not
     */
    public void requireRank(int input, int minRank, int maxRank) {
        int rank = rank(input);
        if (rank < minRank || rank > maxRank) {
            String expected = minRank == maxRank ? "rank " + minRank : "rank " + minRank + " to " + maxRank;
            throw fail(input, "expected " + expected + " " + specs.get(input).shape() + ", got shape "
                    + Arrays.toString(shape(input)));
        }
    }

    /**
     * Checks that {@code input} has the shape of {@code other}.
     *
     * @throws InvalidKernelInputException naming both inputs and their shapes when it has not
     */
    public void requireSameShape(int input, int other) {
        if (!Arrays.equals(shape(input), shape(other))) {
            throw fail(input, "expected the shape of input '" + specs.get(other).name() + "' "
                    + Arrays.toString(shape(other)) + ", got " + Arrays.toString(shape(input)));
        }
    }

    /** Requires dimension {@code axis} of {@code input} to equal {@code expected}; {@code why} says where it comes from. */
    public void requireDim(int input, int axis, int expected, String why) {
        int actual = dim(input, axis);
        if (actual != expected) {
            throw fail(input, "expected dimension " + axis + " to be " + expected + " (" + why + "), got shape "
                    + Arrays.toString(shape(input)));
        }
    }

    /** An exception about {@code input}, to throw. */
    public InvalidKernelInputException fail(int input, String message) {
        return new InvalidKernelInputException(kernelId, "input '" + specs.get(input).name() + "'", message);
    }
}
