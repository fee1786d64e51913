package org.ringkernel.bridge.clock;

/** A received timestamp lies further in the future than the clock accepts. */
public final class ClockDriftException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** A timestamp too far ahead, {@code message} saying by how much and what the clock accepts. */
    public ClockDriftException(String message) {
        super(message);
    }
}
