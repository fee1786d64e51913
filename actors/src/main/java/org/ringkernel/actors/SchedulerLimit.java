package org.ringkernel.actors;

import com.typesafe.config.Config;
import java.time.Duration;
import org.ringkernel.bridge.runtime.DurationLimit;
import org.ringkernel.bridge.runtime.SettingsReader;

/**
 * The longest delay Pekko's scheduler accepts under a configuration: {@code Integer.MAX_VALUE} ticks of
 * {@code pekko.scheduler.tick-duration} (about 248 days at the default 10 ms). A timer, an ask or a
 * shutdown phase given a longer delay fails when it is scheduled, not at start-up, so settings that end up
 * there are checked against this bound.
 */
public final class SchedulerLimit {
    private static final String REASON = "the longest delay Pekko's scheduler takes, Int.MaxValue ticks of "
            + "pekko.scheduler.tick-duration";

    private SchedulerLimit() {
    }

    /** The bound under {@code config}. */
    public static DurationLimit of(Config config) {
        Duration tick = new SettingsReader(config).positiveDuration("pekko.scheduler.tick-duration");
        return new DurationLimit(tick.multipliedBy(Integer.MAX_VALUE), REASON);
    }
}
