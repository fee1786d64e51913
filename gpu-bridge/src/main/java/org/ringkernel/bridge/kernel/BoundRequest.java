package org.ringkernel.bridge.kernel;

/**
 * A request checked against its kernel's signature: params resolved in signature order and output shapes
 * known, ready to be written into a ring.
 */
public record BoundRequest(KernelRequest request, float[] params, int[][] outputShapes) {

    /** Bytes of float32 data the outputs take. */
    public long outputBytes() {
        long bytes = 0;
        for (int[] shape : outputShapes) {
            bytes += Tensor.checkShape(shape) * Float.BYTES;
        }
        return bytes;
    }
}
