package org.ringkernel.actors.metrics;

import java.util.Locale;
import org.ringkernel.actors.ErrorCode;

/** How a request was answered, as the {@code outcome} label of the request counter. */
public enum Outcome {
    /** The request was computed. */
    OK,
    /** The request did not fit the kernel, or named no kernel. */
    INVALID_INPUT,
    /** No result arrived before the request's deadline. */
    TIMEOUT,
    /** The kernel had no room for the request. */
    OVERLOADED,
    /** The kernel failed while the request was in flight. */
    KERNEL_FAILED,
    /** The kernel took no requests. */
    UNAVAILABLE;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** The outcome as the metric's label spells it, e.g. {@code invalid_input}. */
    public String label() {
        return label;
    }

    /** The outcome of an answer that carries {@code code}. */
    public static Outcome of(ErrorCode code) {
        return switch (code) {
            // A kernel's own actor never answers that it does not exist; were it to, the request named a kernel
            // that is not there, which is the caller's bad input.
            case INVALID_INPUT, UNKNOWN_KERNEL -> INVALID_INPUT;
            case TIMEOUT -> TIMEOUT;
            case OVERLOADED -> OVERLOADED;
            case KERNEL_FAILED -> KERNEL_FAILED;
            case UNAVAILABLE -> UNAVAILABLE;
        };
    }
}
