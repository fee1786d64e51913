package org.ringkernel.bridge.kernel;

/**
 * One input or output of a kernel's signature.
 *
 * @param name the name used in messages and listings, e.g. {@code "x"}
 * @param shape the shape rule in words, e.g. {@code "[m, k]"} or {@code "same as x"}
 * @param optional whether the input may be left out (only trailing inputs may be)
 */
public record TensorSpec(String name, String shape, boolean optional) {

    /** An input or output that every request carries. */
    public static TensorSpec required(String name, String shape) {
        return new TensorSpec(name, shape, false);
    }

    /** A trailing input that a request may leave out. */
    public static TensorSpec optional(String name, String shape) {
        return new TensorSpec(name, shape, true);
    }
}
