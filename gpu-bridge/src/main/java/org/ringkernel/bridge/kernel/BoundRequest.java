package org.ringkernel.bridge.kernel;

/**
 * A request checked against its kernel's signature: params resolved in signature order and output shapes
 * known, ready to be written into a ring.
 *
 * @param request the request as given
 * @param params the params in signature order, defaults filled in
 * @param outputShapes one shape per output
 * @param outputSizes the element count of each output shape, computed once when the shapes were checked
 * @param inputCheck the check of the input values still to be made while they are copied into the arena;
 *     {@link InputCheck#NONE} once {@link KernelDefinition#bind} made it
 */
public record BoundRequest(KernelRequest request, float[] params, int[][] outputShapes, int[] outputSizes,
                           InputCheck inputCheck) {

    /** A request whose input values are checked already. */
    public BoundRequest(KernelRequest request, float[] params, int[][] outputShapes, int[] outputSizes) {
        this(request, params, outputShapes, outputSizes, InputCheck.NONE);
    }
}
