package org.ringkernel.actors;

import java.time.Duration;
import java.util.Optional;

/**
 * How kernel instances are restarted and watched.
 *
 * @param minBackoff the wait before the first relaunch after a failure
 * @param maxBackoff the longest wait; each failure in a row doubles the wait up to it
 * @param maxRestarts relaunches allowed within {@code restartWindow} before the kernel is declared unavailable
 * @param restartWindow the window over which restarts count
 * @param unavailableRetryAfter when present, an unavailable kernel is tried again after this long
 * @param retryInFlight whether requests of a pure kernel that were in flight at a failure are run again once
 *     on the relaunched instance (otherwise they fail)
 * @param watchdogTimeout while requests are in flight, how long a kernel may go without a heartbeat, or, while
 *     it holds requests in its ring, without completing a request or finishing a batch, before it counts as
 *     hung (or stuck) and is restarted; requests the kernel passed to the launch path have left its ring and
 *     are bounded by their deadlines instead. Device kernels get it as their worker stall limit too
 * @param tickInterval how often deadlines and the watchdog are checked
 */
public record SupervisionSettings(Duration minBackoff, Duration maxBackoff, int maxRestarts, Duration restartWindow,
                                  Optional<Duration> unavailableRetryAfter, boolean retryInFlight,
                                  Duration watchdogTimeout, Duration tickInterval) {

    /** The wait before relaunch number {@code attempt} (1-based) of a series. */
    public Duration backoff(int attempt) {
        long nanos = minBackoff.toNanos();
        for (int i = 1; i < attempt && nanos < maxBackoff.toNanos(); i++) {
            nanos *= 2;
        }
        return Duration.ofNanos(Math.min(nanos, maxBackoff.toNanos()));
    }
}
