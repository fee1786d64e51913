package org.ringkernel.bridge.kernel;

/**
 * A kernel's shape rule: checks the input shapes (and params) of a request and gives its output shapes.
 */
@FunctionalInterface
public interface ShapeRule {

    /**
     * @return one shape per output of the signature
     * @throws InvalidKernelInputException through {@link ShapeCheck}'s helpers, naming the input and what was
     *     expected
     */
    int[][] outputShapes(ShapeCheck check);

    /** The rule of element-wise kernels: every present input has the shape of the first; one output like it. */
    static ShapeRule elementwise() {
        return check -> {
            for (int input = 1; input < check.inputCount(); input++) {
                check.requireSameShape(input, 0);
            }
            return new int[][] {check.shape(0)};
        };
    }
}
