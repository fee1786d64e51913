package org.ringkernel.bridge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.runtime.InstanceSettings.IdleSettings;

/** The phases of {@link BackoffIdle}: counted spins and yields, and the limit on how long they may take in all. */
class BackoffIdleTest {

    @Test
    void parksAfterItsSpinsAndYieldsAndSpinsAgainOnceWorkIsFound() {
        BackoffIdle idle = new BackoffIdle(new IdleSettings(3, 2, Duration.ofNanos(1_000)));
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 5; i++) {
                assertFalse(idle.nextParks(), "wait " + i + " of round " + round + " should still spin or yield");
                idle.idle();
            }
            assertTrue(idle.nextParks(), "after 3 spins and 2 yields the next wait parks");
            idle.idle();
            assertTrue(idle.nextParks(), "a waiter that parked keeps parking until it finds work");
            idle.reset();
        }
    }

    @Test
    void busyLimitEndsTheYieldsLongBeforeTheirCount() {
        // Without the limit the yields alone would take far longer than the test's timeout.
        BackoffIdle idle = new BackoffIdle(new IdleSettings(10, Integer.MAX_VALUE, Duration.ofNanos(1_000),
                Duration.ofMillis(2)));
        for (int round = 0; round < 2; round++) {
            long waits = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                long count = 0;
                while (!idle.nextParks()) {
                    idle.idle();
                    count++;
                }
                return count;
            });
            assertTrue(waits > 10, "it spins all its spins before the limit can end anything, waited " + waits);
            idle.idle();
            assertTrue(idle.nextParks(), "once parked it keeps parking until it finds work");
            idle.reset();
            assertFalse(idle.nextParks(), "work found: the next wait spins again, and the limit starts over");
        }
    }

    @Test
    void withoutBusyLimitTheCountAloneDecides() {
        BackoffIdle idle = new BackoffIdle(new IdleSettings(0, 1_000, Duration.ofNanos(1_000), Duration.ZERO));
        for (int i = 0; i < 1_000; i++) {
            assertFalse(idle.nextParks(), "yield " + i + " of 1000");
            idle.idle();
        }
        assertTrue(idle.nextParks());
    }

    @Test
    void anotherLongestParkKeepsEveryOtherSetting() {
        IdleSettings settings = new IdleSettings(7, 11, Duration.ofMillis(100), Duration.ofNanos(30_000));
        assertEquals(new IdleSettings(7, 11, Duration.ofNanos(50_000), Duration.ofNanos(30_000)),
                settings.withMaxPark(Duration.ofNanos(50_000)));
    }
}
