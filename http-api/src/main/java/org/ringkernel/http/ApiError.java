package org.ringkernel.http;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.ringkernel.actors.KernelRequestException;
import org.ringkernel.inference.InferenceException;
import org.ringkernel.inference.InferenceStatus;

/**
 * An error as the API answers it: an HTTP status and a JSON body {@code {"error":{"code","message"}}} whose
 * message names what was wrong. Never a stack trace.
 *
 * @param status the HTTP status
 * @param code a stable lower-case code, e.g. {@code invalid_input}
 * @param message what was wrong, for people
 * @param retryAfter for 503s: when to try again
 */
public record ApiError(StatusCode status, String code, String message, Optional<Duration> retryAfter) {

    /** 400 {@code invalid_input}. */
    public static ApiError badRequest(String message) {
        return new ApiError(StatusCodes.BAD_REQUEST, "invalid_input", message, Optional.empty());
    }

    /** 413 {@code too_large}. */
    public static ApiError tooLarge(String message) {
        return new ApiError(StatusCodes.CONTENT_TOO_LARGE, "too_large", message, Optional.empty());
    }

    /** 408 {@code request_timeout}. */
    public static ApiError requestTimeout(String message) {
        return new ApiError(StatusCodes.REQUEST_TIMEOUT, "request_timeout", message, Optional.empty());
    }

    /** 415 {@code unsupported_media_type}. */
    public static ApiError unsupportedMediaType(String message) {
        return new ApiError(StatusCodes.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", message, Optional.empty());
    }

    /** 404 {@code not_found}. */
    public static ApiError notFound(String message) {
        return new ApiError(StatusCodes.NOT_FOUND, "not_found", message, Optional.empty());
    }

    /** 500 {@code internal}. */
    public static ApiError internal(String message) {
        return new ApiError(StatusCodes.INTERNAL_SERVER_ERROR, "internal", message, Optional.empty());
    }

    /** The answer to a request the kernel bridge refused or could not complete. */
    public static ApiError of(KernelRequestException e, Duration retryAfter) {
        return switch (e.code()) {
            case INVALID_INPUT -> badRequest(e.getMessage());
            case UNKNOWN_KERNEL -> new ApiError(StatusCodes.NOT_FOUND, "unknown_kernel", e.getMessage(), Optional.empty());
            case TIMEOUT -> new ApiError(StatusCodes.GATEWAY_TIMEOUT, "timeout", e.getMessage(), Optional.empty());
            case OVERLOADED -> new ApiError(StatusCodes.SERVICE_UNAVAILABLE, "overloaded", e.getMessage(),
                    Optional.of(retryAfter));
            case UNAVAILABLE -> new ApiError(StatusCodes.SERVICE_UNAVAILABLE, "unavailable", e.getMessage(),
                    Optional.of(retryAfter));
            case KERNEL_FAILED -> new ApiError(StatusCodes.INTERNAL_SERVER_ERROR, "kernel_failed", e.getMessage(),
                    Optional.empty());
        };
    }

    /** The answer to an inference request of the protocol that failed: its status, with a retry time for a 503. */
    public static ApiError of(InferenceException e, Duration retryAfter) {
        boolean retry = e.status() == InferenceStatus.RESOURCE_EXHAUSTED || e.status() == InferenceStatus.UNAVAILABLE;
        return new ApiError(StatusCodes.get(e.status().httpStatus()), e.status().name().toLowerCase(Locale.ROOT),
                e.getMessage(), retry ? Optional.of(retryAfter) : Optional.empty());
    }
}
