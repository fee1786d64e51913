package org.ringkernel.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.runtime.SettingsException;

/** The ring path's budget against the watchdog, and the watchdog as the limit the device runtime refuses at. */
class RingKernelSettingsRingPathTest {

    private static Config with(String hocon) {
        return ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve();
    }

    @Test
    void theWatchdogTimeoutIsTheRingPathsLimit() {
        RingKernelSettings settings = RingKernelSettings.fromConfig(with("ringkernel.supervision.watchdog-timeout = 7s"),
                Map.of());

        assertEquals(Optional.of(Duration.ofSeconds(7)), settings.bridge().ringPath().limit());
        assertEquals(Duration.ofMillis(5), settings.bridge().ringPath().budget());
    }

    @Test
    void aBudgetOfATenthOfTheWatchdogIsAccepted() {
        RingKernelSettings settings = RingKernelSettings.fromConfig(with("""
                ringkernel.supervision.watchdog-timeout = 1s
                ringkernel.kernel.ring-path.budget = 100ms
                """), Map.of());

        assertEquals(Duration.ofMillis(100), settings.bridge().ringPath().budget());
    }

    @Test
    void aBudgetNotWellUnderTheWatchdogIsRefusedNamingBothKeys() {
        SettingsException e = assertThrows(SettingsException.class, () -> RingKernelSettings.fromConfig(with("""
                ringkernel.supervision.watchdog-timeout = 1s
                ringkernel.kernel.ring-path.budget = 2s
                """), Map.of()));

        assertEquals("ringkernel.kernel.ring-path.budget", e.path());
        assertEquals("ringkernel.kernel.ring-path.budget: expected at most a tenth of "
                + "ringkernel.supervision.watchdog-timeout (1 s), so a request on a ring block never looks like a "
                + "hang, got 2 s", e.getMessage());
    }

    @Test
    void aBudgetJustOverATenthOfTheWatchdogIsRefused() {
        assertThrows(SettingsException.class, () -> RingKernelSettings.fromConfig(with("""
                ringkernel.supervision.watchdog-timeout = 1s
                ringkernel.kernel.ring-path.budget = 101ms
                """), Map.of()));
    }
}
