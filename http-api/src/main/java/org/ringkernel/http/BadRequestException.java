package org.ringkernel.http;

/** A request the codec cannot turn into a kernel request; carries the error to answer with. */
final class BadRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ApiError error;

    BadRequestException(ApiError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    ApiError error() {
        return error;
    }

    static BadRequestException invalid(String message) {
        return new BadRequestException(ApiError.badRequest(message));
    }
}
