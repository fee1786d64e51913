package org.ringkernel.bridge.runtime;

import java.time.Duration;

/**
 * The longest duration the runtime honours for a setting, and why, as a settings error says it.
 *
 * @param max the longest duration
 * @param reason what sets the bound
 */
public record DurationLimit(Duration max, String reason) {
    /**
     * Waits kept as deadlines on the nanosecond clock: {@code System.nanoTime()} differences are only meaningful
     * below 2^63 ns, and a deadline adds a wait to a reading of the clock.
     */
    public static final DurationLimit NANO_CLOCK = new DurationLimit(Duration.ofNanos(Long.MAX_VALUE / 2),
            "the longest wait a nanosecond deadline holds");

    /** This bound less a {@code margin} that the runtime adds to the setting, e.g. "the ask's margin". */
    public DurationLimit less(Duration margin, String what) {
        return new DurationLimit(max.minus(margin), reason + ", less " + what + " of " + SettingsReader.describe(margin));
    }
}
