package org.ringkernel.bridge.clock;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A hybrid logical clock (Kulkarni et al.): timestamps that follow wall-clock milliseconds, never go
 * backwards, and order every event after the events it has heard of, even across machines whose clocks
 * disagree. Readings are packed as in {@link HlcTimestamp}. Thread-safe and lock-free.
 */
public final class HybridLogicalClock {
    private final LongSupplier wallMillis;
    private final long maxDriftMillis;
    private final AtomicLong last = new AtomicLong();

    /**
     * @param wallMillis the physical clock, in milliseconds since the epoch
     * @param maxDriftMillis how far ahead of the local wall clock a received timestamp may be
     */
    public HybridLogicalClock(LongSupplier wallMillis, long maxDriftMillis) {
        if (maxDriftMillis <= 0) {
            throw new IllegalArgumentException("max drift must be positive, was " + maxDriftMillis + " ms");
        }
        this.wallMillis = wallMillis;
        this.maxDriftMillis = maxDriftMillis;
    }

    /** A clock on the system's wall clock that accepts remote timestamps up to a minute ahead. */
    public static HybridLogicalClock system() {
        return new HybridLogicalClock(System::currentTimeMillis, 60_000);
    }

    /** Timestamps a local or send event: later than every reading so far and not behind the wall clock. */
    public long now() {
        long wall = HlcTimestamp.pack(wallMillis.getAsLong(), 0);
        return last.accumulateAndGet(wall, (previous, floor) -> Math.max(previous + 1, floor));
    }

    /**
     * Timestamps the receipt of {@code remote}: later than it, than every local reading so far, and not
     * behind the wall clock.
     *
     * @throws ClockDriftException when {@code remote} is further ahead of the wall clock than allowed
     */
    public long update(long remote) {
        long wallMs = wallMillis.getAsLong();
        if (HlcTimestamp.physicalMillis(remote) - wallMs > maxDriftMillis) {
            throw new ClockDriftException("remote timestamp " + HlcTimestamp.format(remote) + " is "
                    + (HlcTimestamp.physicalMillis(remote) - wallMs) + " ms ahead of the local clock; at most "
                    + maxDriftMillis + " ms is accepted");
        }
        long floor = Math.max(HlcTimestamp.pack(wallMs, 0), remote + 1);
        return last.accumulateAndGet(floor, (previous, min) -> Math.max(previous + 1, min));
    }

    /** The latest reading, without advancing the clock. */
    public long current() {
        return last.get();
    }
}
