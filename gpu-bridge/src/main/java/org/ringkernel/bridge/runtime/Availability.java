package org.ringkernel.bridge.runtime;

/**
 * Whether a backend can run here, and why (not).
 *
 * @param usable whether it can run
 * @param reason what was found, e.g. the device's name, or why it cannot run
 */
public record Availability(boolean usable, String reason) {

    /** The backend can run here; {@code reason} says on what. */
    public static Availability usable(String reason) {
        return new Availability(true, reason);
    }

    /** The backend cannot run here, {@code reason} saying why. */
    public static Availability unusable(String reason) {
        return new Availability(false, reason);
    }
}
