package org.ringkernel.actors.metrics;

import java.util.Locale;

/** Why a kernel instance was relaunched, as the {@code reason} label of the restart counter. */
public enum RestartReason {
    /** The instance reported a failure or stopped. */
    FAILED,
    /** Its heartbeat stood still with work pending. */
    HUNG,
    /** It held requests and neither completed one nor finished a batch. */
    NO_PROGRESS,
    /** Its launch failed. */
    LAUNCH_FAILED,
    /** Its device restarted under it. */
    DEVICE_RESTART,
    /** Its actor restarted (a broken invariant), taking the instance with it. */
    ACTOR_RESTART;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** The reason as the metric's label spells it, e.g. {@code actor_restart}. */
    public String label() {
        return label;
    }
}
