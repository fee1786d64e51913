package org.ringkernel.kernels.gpucheck;

/**
 * A measurement that cannot be reported: a result that differs from what was sent or expected, or a request the
 * kernel did not complete (a driver call that fails throws the backend's {@code CudaException}). The message
 * names which measure, which request or element, and what was seen, since the check usually runs on a machine
 * one cannot log into.
 */
final class CheckFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CheckFailure(String message) {
        super(message);
    }
}
