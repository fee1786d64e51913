package org.ringkernel.actors.stream;

import org.ringkernel.actors.KernelRequestException;
import org.ringkernel.actors.KernelResult;

/**
 * What a {@link KernelFlows} flow does with a request the kernel answered with a {@link KernelRequestException}
 * (invalid input, timeout, kernel failed or unavailable). Any other failure is a bug and fails the stream in
 * both modes.
 */
public enum ErrorHandling {
    /**
     * The request comes out in its place as a {@link KernelResult} whose {@link KernelResult#error()} says what
     * happened, and the stream goes on.
     */
    ERRORS_AS_ELEMENTS,
    /**
     * The stream fails with the error of the first failed request in output order; the results before it are
     * delivered.
     */
    FAIL_STREAM
}
