package org.ringkernel.actors;

/** The kernel's ring and wait queue are full; the request was not taken and may be retried. */
public final class OverloadedException extends KernelRequestException {
    private static final long serialVersionUID = 1L;

    /** {@code kernelId} had no room for the request, {@code message} saying where. */
    public OverloadedException(String kernelId, String message) {
        super(kernelId, message);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.OVERLOADED;
    }
}
