package org.ringkernel.http;

/**
 * A {@link ProcessFormat} cannot work in this JVM (e.g. an option it needs is missing); the server does not start,
 * and says so in one line.
 */
public final class FormatUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The format cannot work, as {@code message} says, because of {@code cause}. */
    public FormatUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
