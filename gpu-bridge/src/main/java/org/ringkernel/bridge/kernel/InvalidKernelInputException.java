package org.ringkernel.bridge.kernel;

/**
 * A request that a kernel cannot take: wrong input count, shape, param or value. The message names the
 * kernel, the input or param, and what was expected.
 */
public final class InvalidKernelInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String kernelId;
    private final String field;

    public InvalidKernelInputException(String kernelId, String field, String message) {
        super("kernel '" + kernelId + "'" + (field == null ? "" : ", " + field) + ": " + message);
        this.kernelId = kernelId;
        this.field = field;
    }

    /** The kernel that rejected the request. */
    public String kernelId() {
        return kernelId;
    }

    /** The input or param at fault, as "input 'x'" or "param 'alpha'", or null when the request as a whole is. */
    public String field() {
        return field;
    }
}
