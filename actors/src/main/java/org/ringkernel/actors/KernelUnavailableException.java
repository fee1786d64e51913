package org.ringkernel.actors;

/** The kernel takes no requests now: its restart budget is spent, or it is stopping. */
public final class KernelUnavailableException extends KernelRequestException {
    private static final long serialVersionUID = 1L;

    /** {@code kernelId} takes no requests now, {@code message} saying why. */
    public KernelUnavailableException(String kernelId, String message) {
        super(kernelId, message);
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.UNAVAILABLE;
    }
}
