package org.ringkernel.http;

/**
 * A request body that could not be received whole: malformed framing, over the size limit, too slow, or cut off
 * by the client. It is the client's doing, so it is logged as one warning without a stack trace.
 */
final class UnreadableBodyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ApiError error;
    private final boolean clientGone;

    /**
     * @param error the answer, when the client can still receive one
     * @param clientGone whether the client closed the connection, so that no answer can reach it
     */
    UnreadableBodyException(ApiError error, boolean clientGone) {
        super(error.message(), null, false, false);
        this.error = error;
        this.clientGone = clientGone;
    }

    ApiError error() {
        return error;
    }

    /** The one line the log gets. */
    String logLine() {
        return clientGone ? "request body lost, the client closed the connection: " + error.message()
                : "request body refused with " + error.status().intValue() + ": " + error.message();
    }
}
