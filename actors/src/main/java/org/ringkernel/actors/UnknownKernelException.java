package org.ringkernel.actors;

/** No kernel has the requested id; the message lists the known ones. */
public final class UnknownKernelException extends KernelRequestException {
    private static final long serialVersionUID = 1L;

    /** No kernel has the id {@code kernelId}; {@code message} lists the known ones. */
    public UnknownKernelException(String kernelId, String message) {
        super(kernelId, message);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.UNKNOWN_KERNEL;
    }
}
