package org.ringkernel.bridge.kernel;

import java.nio.FloatBuffer;

/**
 * One request as a CPU implementation sees it: input and output tensors as views onto the data arena, and
 * the params in signature order. Views are valid only during {@link CpuKernel#execute}; an implementation
 * may hand them to other threads (to split a large request) as long as those finish before it returns and
 * write distinct elements. Each call creates fresh views, so their positions are the caller's own.
 */
public interface KernelCall {

    /** The id the host gave the request in its ring; the request's completion carries it back. */
    long requestId();

    /** How many inputs the request carries (optional trailing inputs may be absent). */
    int inputCount();

    /** The number of dimensions of an input. */
    int inputRank(int input);

    /** Dimension {@code axis} of an input; negative axes count from the end. */
    int inputDim(int input, int axis);

    /** The input's elements, row-major, position 0, limit its element count. */
    FloatBuffer input(int input);

    /** How many outputs the kernel writes. */
    int outputCount();

    /** Where the output's elements go, row-major, position 0, limit its element count. */
    FloatBuffer output(int output);

    /** How many params the request carries: every param of the signature, resolved. */
    int paramCount();

    /** Param {@code index} in signature order. */
    float param(int index);
}
