package org.ringkernel.data.arrow;

/**
 * A column could not be run through a kernel: its type, its nulls, its size or one of its values, or a kernel
 * request over some of its rows failed. The message names the column and, where it applies, the rows; a failed
 * kernel request is the cause.
 */
public final class ColumnException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error about the column itself, in {@code message}. */
    public ColumnException(String message) {
        super(message);
    }

    /** A kernel request over some rows of a column failed with {@code cause}. */
    public ColumnException(String message, Throwable cause) {
        super(message, cause);
    }
}
