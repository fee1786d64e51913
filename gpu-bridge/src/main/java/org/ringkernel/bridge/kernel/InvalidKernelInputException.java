package org.ringkernel.bridge.kernel;

/**
 * A request that a kernel cannot take: wrong input count, shape, param or value. The message names the
 * kernel, the input or param, and what was expected.
 */
public final class InvalidKernelInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The kernel whose input was wrong. */
    private final String kernelId;
    /** The input or param that was wrong, null when the fault is the request as a whole. */
    private final String field;

    /**
     * {@code field} of a request to {@code kernelId} is wrong, {@code message} saying how; {@code field} may be null.
     */
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
