package org.ringkernel.actors;

/** The kernel failed while the request was in flight; it is being restarted. */
public final class KernelFailedException extends KernelRequestException {
    private static final long serialVersionUID = 1L;

    /** {@code kernelId} failed with the request in flight, {@code message} saying how. */
    public KernelFailedException(String kernelId, String message) {
        super(kernelId, message);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.KERNEL_FAILED;
    }
}
