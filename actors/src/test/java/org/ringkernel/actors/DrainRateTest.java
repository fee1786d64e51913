package org.ringkernel.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The drain-rate estimate, fed explicit clock readings. */
class DrainRateTest {
    private static final long MS = 1_000_000;

    @Test
    void withoutACompletionThereIsNoEstimateAndNoExpectedWait() {
        DrainRate rate = new DrainRate();
        rate.busyFrom(0);
        assertFalse(rate.measured());
        assertEquals(0, rate.expectedWaitNanos(1_000));
    }

    /** A rate past its warm-up, whose arrivals took {@code 1000 ms} a request and no longer count. */
    private static DrainRate warm() {
        DrainRate rate = new DrainRate();
        for (int i = 0; i < DrainRate.WARM_UP; i++) {
            rate.busyFrom(0);
            rate.completed(1, 1000 * MS, true);
        }
        assertFalse(rate.measured(), "the warm-up's arrivals are not samples");
        return rate;
    }

    @Test
    void aNewInstancesFirstArrivalsDoNotCountAndAFailureStartsTheWarmUpAgain() {
        DrainRate rate = warm();
        rate.busyFrom(0);
        rate.completed(1, 10 * MS, true);
        assertEquals(10 * MS, rate.expectedWaitNanos(1));
        rate.stopped();
        rate.busyFrom(0);
        rate.completed(1, 1000 * MS, true);
        assertEquals(10 * MS, rate.expectedWaitNanos(1), "the relaunched instance's first arrival does not count");
    }

    @Test
    void busyTimeOverCompletionsGivesTheTimeOfOneRequest() {
        DrainRate rate = warm();
        rate.busyFrom(0);
        rate.completed(4, 40 * MS, true);
        assertTrue(rate.measured());
        assertEquals(100 * MS, rate.expectedWaitNanos(10));
        assertEquals(100.0, rate.perSecond(), 1e-9);
    }

    @Test
    void idleTimeDoesNotCountAsDrainTime() {
        DrainRate rate = warm();
        rate.busyFrom(0);
        rate.completed(1, 10 * MS, true);
        rate.busyFrom(10_000 * MS);
        rate.completed(1, 10_010 * MS, true);
        assertEquals(10 * MS, rate.expectedWaitNanos(1));
    }

    @Test
    void manySmallArrivalsDoNotOutweighALargeBatch() {
        DrainRate rate = warm();
        rate.busyFrom(0);
        rate.completed(1, 10 * MS, false);
        rate.completed(99, 11 * MS, true);
        assertEquals(10 * 8.2e6 / 20.6, rate.expectedWaitNanos(10), 1.0,
                "(0.2 x 1 ms + 0.8 x 10 ms) / (0.2 x 99 + 0.8 x 1) a request");
    }

    @Test
    void newSamplesMoveTheEstimateGradually() {
        DrainRate rate = warm();
        rate.busyFrom(0);
        rate.completed(1, 10 * MS, false);
        rate.completed(1, 40 * MS, true);
        assertEquals(14 * MS, rate.expectedWaitNanos(1), "0.2 x 30 ms + 0.8 x 10 ms");
    }
}
