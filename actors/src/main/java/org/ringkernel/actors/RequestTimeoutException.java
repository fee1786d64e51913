package org.ringkernel.actors;

/** No result arrived before the request's deadline; the message says where the request waited. */
public final class RequestTimeoutException extends KernelRequestException {
    private static final long serialVersionUID = 1L;

    /** {@code kernelId} did not answer in time, {@code message} saying where the request waited. */
    public RequestTimeoutException(String kernelId, String message) {
        super(kernelId, message);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.TIMEOUT;
    }
}
