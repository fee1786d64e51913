package org.ringkernel.inference;

import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor of an inference request or response, by name, its data decoded to float32 by the transport.
 *
 * @param name the input's or output's name
 * @param datatype the protocol's datatype the client named ({@code FP32} for outputs)
 * @param shape its dimensions
 * @param data its elements, row-major
 */
public record NamedTensor(String name, String datatype, long[] shape, float[] data) {

    /** Checks the tensor. */
    public NamedTensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(datatype, "datatype");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
    }

    /** The shape as the protocol writes it, e.g. {@code [2, 3]}. */
    public String shapeText() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NamedTensor that && name.equals(that.name) && datatype.equals(that.datatype)
                && Arrays.equals(shape, that.shape) && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, datatype, Arrays.hashCode(shape), Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "NamedTensor[" + name + " " + datatype + " " + shapeText() + ", " + data.length + " elements]";
    }
}
