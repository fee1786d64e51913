package org.ringkernel.bridge.runtime;

/**
 * Outcome of one request. The kernel writes the first three into completion records (the CUDA header mirrors
 * them as {@code RK_STATUS_*}); the host reports the others for requests a stopped kernel never completed.
 */
public enum CompletionStatus implements SharedCode {
    /** The request was computed. */
    OK(0, "completed"),
    /** The kernel rejected the request record (bad counts, shape or arena extent). */
    INVALID_DESCRIPTOR(1, "the kernel rejected the request record"),
    /** The kernel could not compute this request. */
    KERNEL_ERROR(2, "the kernel could not compute the request"),
    /** The kernel failed before completing the request. */
    KERNEL_FAILED(3, "the kernel failed before completing the request"),
    /** The kernel was terminated before completing the request. */
    TERMINATED(4, "the kernel was terminated before completing the request");

    private static final CompletionStatus[] VALUES = values();

    private final int code;
    private final String description;

    CompletionStatus(int code, String description) {
        this.code = code;
        this.description = description;
    }

    @Override
    public int code() {
        return code;
    }

    /** The status in words. */
    public String description() {
        return description;
    }

    /** The status with {@code code}. */
    public static CompletionStatus fromCode(int code) {
        return SharedCode.decode(VALUES, code);
    }
}
