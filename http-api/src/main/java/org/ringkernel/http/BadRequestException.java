package org.ringkernel.http;

/**
 * A request the codec cannot turn into a kernel request; carries the error to answer with. A
 * {@link ProcessFormat} throws it (or fails its stage with it) for a body it cannot read.
 */
public final class BadRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ApiError error;

    /** A request answered with {@code error}. */
    public BadRequestException(ApiError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    /** What the request is answered with. */
    public ApiError error() {
        return error;
    }

    /** 400 {@code invalid_input}: the request is wrong as {@code message} says. */
    public static BadRequestException invalid(String message) {
        return new BadRequestException(ApiError.badRequest(message));
    }
}
