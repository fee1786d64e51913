package org.ringkernel.actors;

/** The request does not fit the kernel; the message names the input or param and what was expected. */
public final class InvalidRequestException extends KernelRequestException {
    private static final long serialVersionUID = 1L;

    /** A request to {@code kernelId} that does not fit it, {@code message} saying why. */
    public InvalidRequestException(String kernelId, String message) {
        super(kernelId, message);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.INVALID_INPUT;
    }
}
