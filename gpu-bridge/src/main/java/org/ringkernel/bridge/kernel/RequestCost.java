package org.ringkernel.bridge.kernel;

/**
 * What one request costs a kernel, estimated from its shapes before it runs: the arithmetic it does and the
 * bytes it moves between the kernel and the memory its data lives in. The host turns it into a time on one
 * block of a ring kernel to choose the request's path.
 *
 * @param flops floating-point operations (a fused multiply-add counts two), or element-steps for kernels
 *     that mostly move data
 * @param bytes bytes read and written, counting every time the kernel reads a value again
 */
public record RequestCost(double flops, double bytes) {

    /**
     * Checks the cost.
     *
     * @throws IllegalArgumentException when either figure is negative, infinite or not a number
     */
    public RequestCost {
        if (!(flops >= 0) || !(bytes >= 0) || Double.isInfinite(flops) || Double.isInfinite(bytes)) {
            throw new IllegalArgumentException("a request's cost is finite and not negative, got " + flops
                    + " flops and " + bytes + " bytes");
        }
    }
}
