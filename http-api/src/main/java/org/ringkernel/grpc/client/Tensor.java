package org.ringkernel.grpc.client;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named FP32 tensor: its shape and its values in row-major order. The arrays are the caller's (not copied), so
 * equality is by identity of the arrays, as with any array-holding record; compare {@link #values()} with
 * {@link Arrays#equals(float[], float[])}.
 */
public record Tensor(String name, long[] shape, float[] values) {
    /**
     * Checks the tensor.
     *
     * @throws IllegalArgumentException when a dimension is below 1 or the values do not fill the shape
     */
    public Tensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(values, "values");
        long elements = 1;
        for (long dimension : shape) {
            if (dimension < 1) {
                throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(shape)
                        + "; every dimension must be at least 1");
            }
            elements = Math.multiplyExact(elements, dimension);
        }
        if (elements != values.length) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(shape) + " ("
                    + elements + " elements) but " + values.length + " values");
        }
    }

    /** A one-dimensional tensor of {@code values}. */
    public static Tensor of(String name, float... values) {
        return new Tensor(name, new long[] {values.length}, values);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + "=" + Arrays.toString(values);
    }
}
