package org.ringkernel.inference;

import java.util.List;

/**
 * One input or output of a model as its metadata describes it.
 *
 * @param name the tensor's name in the kernel's signature
 * @param datatype the protocol's datatype name; kernels take and give {@code FP32}
 * @param shape its dimensions, {@code -1} where a dimension varies; {@code [-1]} where even the rank varies
 */
public record TensorMetadata(String name, String datatype, List<Long> shape) {
    /** Copies the shape. */
    public TensorMetadata {
        shape = List.copyOf(shape);
    }
}
