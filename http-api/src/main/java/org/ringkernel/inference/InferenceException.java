package org.ringkernel.inference;

import java.util.Objects;

/** An inference request that cannot be answered with outputs: its protocol status and a message naming why. */
public final class InferenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the request failed. */
    private final InferenceStatus status;

    /** A failure for {@code status}, {@code message} saying what was wrong. */
    public InferenceException(InferenceStatus status, String message) {
        super(message);
        this.status = Objects.requireNonNull(status, "status");
    }

    /** Why the request failed. */
    public InferenceStatus status() {
        return status;
    }

    static InferenceException invalid(String message) {
        return new InferenceException(InferenceStatus.INVALID_ARGUMENT, message);
    }
}
