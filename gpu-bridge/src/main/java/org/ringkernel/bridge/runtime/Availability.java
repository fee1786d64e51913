package org.ringkernel.bridge.runtime;

/**
 * Whether a backend can run here, and why (not).
 *
 * @param usable whether it can run
 * @param reason what was found, e.g. the device's name, or why it cannot run
 */
public record Availability(boolean usable, String reason) {

    public static Availability usable(String reason) {
        return new Availability(true, reason);
    }

    public static Availability unusable(String reason) {
        return new Availability(false, reason);
    }
}
