package org.ringkernel.bridge.runtime;

import java.util.concurrent.locks.LockSupport;
import org.ringkernel.bridge.runtime.InstanceSettings.IdleSettings;

/**
 * How a polling thread (a CPU kernel loop, a completion poller) waits for work: spin (reacts in
 * nanoseconds, burns a core), then yield, then park for intervals that double up to the configured
 * maximum. Work found resets it to spinning. Belongs to the polling thread.
 */
public final class BackoffIdle {
    private static final long MIN_PARK_NANOS = 1_000;

    private final int spins;
    private final int yields;
    private final long maxParkNanos;
    /** How long the spins and yields may take in all before it parks; 0 for no limit. */
    private final long busyLimitNanos;
    private long idleRounds;
    private long parkNanos = MIN_PARK_NANOS;
    private long busySince;

    /**
     * A waiter that spins, yields and parks as {@code settings} say, parking early once it has spun and yielded
     * for their busy limit since it last found work, however many yields are left.
     */
    public BackoffIdle(IdleSettings settings) {
        this.spins = settings.spinIterations();
        this.yields = settings.yieldIterations();
        this.maxParkNanos = settings.maxPark().toNanos();
        this.busyLimitNanos = settings.busyLimit().toNanos();
    }

    /** Whether the next {@link #idle} would park, so the loop must announce that it sleeps first. */
    public boolean nextParks() {
        return idleRounds >= (long) spins + yields;
    }

    /** Waits once, after a poll that found no work: longer the more such polls there were in a row. */
    public void idle() {
        if (idleRounds == 0 && busyLimitNanos > 0) {
            busySince = System.nanoTime();
        }
        if (idleRounds < spins) {
            Thread.onSpinWait();
        } else if (idleRounds < (long) spins + yields) {
            Thread.yield();
            if (busyLimitNanos > 0 && System.nanoTime() - busySince > busyLimitNanos) {
                // The yields left are skipped: the next wait parks, and nextParks() says so before it.
                idleRounds = (long) spins + yields - 1;
            }
        } else {
            LockSupport.parkNanos(parkNanos);
            parkNanos = Math.min(parkNanos * 2, maxParkNanos);
        }
        idleRounds++;
    }

    /** Work was found: the next wait spins again. */
    public void reset() {
        idleRounds = 0;
        parkNanos = MIN_PARK_NANOS;
    }
}
