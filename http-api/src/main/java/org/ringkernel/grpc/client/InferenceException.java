package org.ringkernel.grpc.client;

import io.grpc.Status;

/** A call the server answered with a gRPC status other than OK, or that failed on its way (then UNAVAILABLE etc.). */
public final class InferenceException extends RuntimeException {
    /** The gRPC status code. */
    private final Status.Code code;
    /** The status's description. */
    private final String description;

    InferenceException(String call, Status status) {
        super(call + " failed: " + status.getCode()
                + (status.getDescription() == null ? "" : ": " + status.getDescription()), status.getCause());
        this.code = status.getCode();
        this.description = status.getDescription() == null ? "" : status.getDescription();
    }

    /** The gRPC status code, e.g. {@code NOT_FOUND} for an unknown model. */
    public Status.Code code() {
        return code;
    }

    /** The server's message ({@code ""} when it sent none). */
    public String description() {
        return description;
    }
}
