package org.ringkernel.inference;

import org.ringkernel.actors.ErrorCode;

/**
 * Why an inference request failed, in the protocol's terms, with the status each transport answers: the gRPC
 * status code of the same name, and an HTTP status.
 */
public enum InferenceStatus {
    /** No model of that name (or version). */
    NOT_FOUND(404),
    /** The request does not fit the model: names, datatypes, shapes, data lengths, parameters. */
    INVALID_ARGUMENT(400),
    /** The model's queue is full; retry later. */
    RESOURCE_EXHAUSTED(503),
    /** The model cannot take requests now. */
    UNAVAILABLE(503),
    /** No result before the request's deadline; a request already expired is not run. */
    DEADLINE_EXCEEDED(504),
    /** The kernel failed while computing the request. */
    INTERNAL(500);

    private final int httpStatus;

    InferenceStatus(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /** The HTTP status of this failure on the {@code /v2} routes. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The protocol's status for a kernel's error {@code code}. */
    public static InferenceStatus of(ErrorCode code) {
        return switch (code) {
            case INVALID_INPUT -> INVALID_ARGUMENT;
            case UNKNOWN_KERNEL -> NOT_FOUND;
            case TIMEOUT -> DEADLINE_EXCEEDED;
            case OVERLOADED -> RESOURCE_EXHAUSTED;
            case KERNEL_FAILED -> INTERNAL;
            case UNAVAILABLE -> UNAVAILABLE;
        };
    }
}
