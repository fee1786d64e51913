package org.ringkernel.bridge.kernel;

import java.util.List;
import java.util.Objects;

/**
 * The check of a request's input values that {@link KernelDefinition#bindForStaging} leaves to whoever copies the
 * inputs into a kernel's arena: the copy checks each stretch of an input while it is in cache, so a large input
 * is read from memory once instead of twice. A rejection is the same {@link InvalidKernelInputException}, with
 * the same message, that {@link KernelDefinition#bind} throws.
 */
public final class InputCheck {
    /** Nothing left to check: the values were checked at binding, or the kernel accepts any. */
    public static final InputCheck NONE = new InputCheck("", List.of(), InputValues.ANY);

    private final String kernelId;
    private final List<TensorSpec> inputs;
    private final InputValues values;

    InputCheck(String kernelId, List<TensorSpec> inputs, InputValues values) {
        this.kernelId = Objects.requireNonNull(kernelId, "kernelId");
        this.inputs = List.copyOf(inputs);
        this.values = Objects.requireNonNull(values, "values");
    }

    /** Whether there is nothing to check. */
    public boolean isNone() {
        return values == InputValues.ANY;
    }

    /**
     * Whether elements {@code from} (inclusive) to {@code to} (exclusive) of {@code data} are acceptable.
     *
     * @param data an input's elements
     * @param from the first element to check
     * @param to one past the last element to check
     * @return true when every element in the range is acceptable
     */
    public boolean accepts(float[] data, int from, int to) {
        return values.acceptsAll(data, from, to);
    }

    /**
     * Whether every element of {@code tensor} is acceptable, read where it lies (its array or its buffer).
     *
     * @param tensor an input
     * @return true when every element is acceptable
     */
    public boolean accepts(Tensor tensor) {
        return tensor.isBuffer() ? values.acceptsAll(tensor.buffer()) : values.acceptsAll(tensor.data());
    }

    /**
     * The rejection of input {@code input}, naming its first unacceptable element; for after {@link #accepts}
     * said there is one.
     *
     * @param input the input's index in the signature
     * @param tensor the input
     * @return the exception to throw
     * @throws IllegalStateException when every element is acceptable after all
     */
    public InvalidKernelInputException rejection(int input, Tensor tensor) {
        for (int e = 0, size = tensor.size(); e < size; e++) {
            float value = tensor.get(e);
            if (!values.accepts(value)) {
                return new InvalidKernelInputException(kernelId, "input '" + inputs.get(input).name() + "'",
                        "element " + e + " is " + value + "; this kernel accepts " + values.description());
            }
        }
        throw new IllegalStateException("input " + input + " of kernel '" + kernelId + "' holds acceptable values only");
    }
}
