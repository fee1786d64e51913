package org.ringkernel.actors;

import java.util.Locale;

/** How a {@link KernelActor} groups requests into one publish to the ring. */
public enum BatchingMode {
    /**
     * A request to an idle kernel goes at once; while the kernel is busy requests gather until the batch is
     * full, the delay passes, or the kernel frees up.
     */
    OPPORTUNISTIC,
    /** Requests always gather until the batch is full or the delay passes. */
    FIXED_DELAY,
    /** Every request is published on its own. */
    OFF;

    /** The mode as configuration spells it, e.g. {@code fixed-delay}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static BatchingMode parse(String value) {
        for (BatchingMode mode : values()) {
            if (mode.configName().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new IllegalArgumentException("expected one of opportunistic, fixed-delay, off, got '" + value + "'");
    }
}
