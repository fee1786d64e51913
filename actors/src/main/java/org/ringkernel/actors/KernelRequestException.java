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

    /** The kernel the request was for. */
    private final String kernelId;

    KernelRequestException(String kernelId, String message) {
        super(message, null, false, false);
        this.kernelId = kernelId;
    }

    /** The error for {@code code}, as a protocol that carries only the code and message (another node, say) rebuilds it. */
    public static KernelRequestException of(ErrorCode code, String kernelId, String message) {
        return switch (code) {
            case INVALID_INPUT -> new InvalidRequestException(kernelId, message);
            case UNKNOWN_KERNEL -> new UnknownKernelException(kernelId, message);
            case TIMEOUT -> new RequestTimeoutException(kernelId, message);
            case OVERLOADED -> new OverloadedException(kernelId, message);
            case KERNEL_FAILED -> new KernelFailedException(kernelId, message);
            case UNAVAILABLE -> new KernelUnavailableException(kernelId, message);
        };
    }

    /** What went wrong, as a code protocols map to their own. */
    public abstract ErrorCode code();

    /** The kernel the request was for. */
    public String kernelId() {
        return kernelId;
    }
}
