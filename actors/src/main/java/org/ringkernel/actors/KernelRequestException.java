package org.ringkernel.actors;

/**
 * Why a request got no result; its message names the kernel and what happened, for the caller to show as
 * it is. Thrown by failed {@link KernelRef#process} stages and carried by failed {@link KernelResult}s.
 * These are outcomes, not bugs, so they carry no stack trace.
 */
public abstract sealed class KernelRequestException extends RuntimeException
        permits InvalidRequestException, UnknownKernelException, RequestTimeoutException, OverloadedException,
        KernelFailedException, KernelUnavailableException {
    private static final long serialVersionUID = 1L;

    private final String kernelId;

    KernelRequestException(String kernelId, String message) {
        super(message, null, false, false);
        this.kernelId = kernelId;
    }

    public abstract ErrorCode code();

    /** The kernel the request was for. */
    public String kernelId() {
        return kernelId;
    }
}
