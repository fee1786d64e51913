package org.ringkernel.bridge.kernel;

/**
 * A request checked against its kernel's signature: params resolved in signature order and output shapes
 * known, ready to be written into a ring.
 *
 * @param request the request as given
 * @param params the params in signature order, defaults filled in
 * @param outputShapes one shape per output
 * @param outputSizes the element count of each output shape, computed once when the shapes were checked
 */
public record BoundRequest(KernelRequest request, float[] params, int[][] outputShapes, int[] outputSizes) {
}
