package org.ringkernel.bridge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Settings are read once, typed, with the environment's backend first and every bad value named by path. */
class BridgeSettingsTest {

    private static Config with(String hocon) {
        return ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve();
    }

    @Test
    void defaultsComeFromReferenceConf() {
        BridgeSettings settings = BridgeSettings.fromConfig(ConfigFactory.defaultReference(), Map.of());
        assertEquals(BackendKind.AUTO, settings.backend());
        assertEquals(0, settings.deviceId());
        assertEquals(1024, settings.instance().capacity());
        assertEquals(16 << 20, settings.instance().arenaBytes());
        assertEquals(256, settings.instance().maxBatchSize());
        assertEquals(Duration.ofSeconds(5), settings.terminateTimeout());
        assertEquals(Duration.ofMillis(100), settings.instance().idle().maxPark());
        assertEquals(Duration.ofNanos(100_000), settings.instance().idle().busyLimit());
        assertEquals(OutputCheck.SAMPLE, settings.instance().outputCheck());
        assertEquals(256L << 20, settings.memory().poolBytes());
        assertEquals(256, settings.blockSize());
        assertEquals(new RingPathSettings(25e9, 1L << 30, Duration.ofMillis(5), java.util.Optional.empty()),
                settings.ringPath());
    }

    @Test
    void environmentBackendTakesPrecedence() {
        BridgeSettings settings = BridgeSettings.fromConfig(with("ringkernel.backend = cuda"),
                Map.of("RINGKERNEL_BACKEND", "CPU"));
        assertEquals(BackendKind.CPU, settings.backend());
    }

    @Test
    void badEnvironmentBackendNamesTheVariable() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> BridgeSettings.fromConfig(with(""), Map.of("RINGKERNEL_BACKEND", "gpu")));
        assertEquals("RINGKERNEL_BACKEND: expected one of auto, cpu, cuda, got 'gpu'", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ringkernel.backend = tpu | ringkernel.backend: expected one of auto, cpu, cuda, got 'tpu'",
        "ringkernel.device-id = -1 | ringkernel.device-id: expected a device number of at least 0, got -1",
        "ringkernel.queue-capacity = 1000 | ringkernel.queue-capacity: expected a power of two between 2 and 1048576, got 1000",
        "ringkernel.queue-capacity = lots | ringkernel.queue-capacity: expected a number, got 'lots'",
        "ringkernel.kernel.arena-size = 100 | ringkernel.kernel.arena-size: expected a multiple of 64 bytes of at most 1 GiB, got 100",
        "ringkernel.kernel.arena-size = 2 GiB | ringkernel.kernel.arena-size: expected a multiple of 64 bytes of at most 1 GiB, got 2147483648",
        "ringkernel.kernel.max-batch-size = 2048 | ringkernel.kernel.max-batch-size: expected a size in [1, queue-capacity 1024], got 2048",
        "ringkernel.kernel.terminate-timeout = 0s | ringkernel.kernel.terminate-timeout: expected a positive duration, got PT0S",
        "ringkernel.kernel.terminate-timeout = 60000 days | ringkernel.kernel.terminate-timeout: expected a positive duration of at most 53376.00 days (the longest wait a nanosecond deadline holds), got 60000.00 days",
        "ringkernel.kernel.poison-outputs = maybe | ringkernel.kernel.poison-outputs: expected",
        "ringkernel.kernel.output-check = every | ringkernel.kernel.output-check: expected one of off, sample, full, got 'every'",
        "ringkernel.kernel.idle.spin-iterations = -5 | ringkernel.kernel.idle.spin-iterations: expected a whole number in [0, 2147483647], got -5",
        "ringkernel.kernel.idle.max-park = 0ms | ringkernel.kernel.idle.max-park: expected a positive duration, got PT0S",
        "ringkernel.kernel.idle.max-park = 60000 days | ringkernel.kernel.idle.max-park: expected a positive duration of at most 53376.00 days",
        "ringkernel.kernel.idle.busy-limit = -1ms | ringkernel.kernel.idle.busy-limit: expected a duration between 0 and",
        "ringkernel.memory.pool-size = 1000 | ringkernel.memory.pool-size: expected a size of at least 1 MiB, got 1000",
        "ringkernel.memory.enable-pooling = sometimes | ringkernel.memory.enable-pooling: expected",
        "ringkernel.memory.enable-pooling = off | ringkernel.memory.enable-pooling: expected true: device memory comes only from the pool",
        "ringkernel.kernel.block-size = 100 | ringkernel.kernel.block-size: expected a multiple of 32 between 32 and 1024, got 100",
        "ringkernel.kernel.ring-path.block-flops-per-second = 0 | ringkernel.kernel.ring-path.block-flops-per-second: expected a positive number, got 0.0",
        "ringkernel.kernel.ring-path.block-flops-per-second = fast | ringkernel.kernel.ring-path.block-flops-per-second: expected a number",
        "ringkernel.kernel.ring-path.block-bytes-per-second = 0 | ringkernel.kernel.ring-path.block-bytes-per-second: expected a positive size (bytes per second), got 0",
        "ringkernel.kernel.ring-path.budget = 0ms | ringkernel.kernel.ring-path.budget: expected a positive duration, got PT0S",
        "ringkernel.kernel.ring-path.budget = soon | ringkernel.kernel.ring-path.budget: expected",
    })
    void eachBadValueIsNamedByItsPath(String hocon, String messageStart) {
        SettingsException e = assertThrows(SettingsException.class, () -> BridgeSettings.fromConfig(with(hocon), Map.of()));
        assertEquals(hocon.substring(0, hocon.indexOf(' ')), e.path());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith(messageStart), e.getMessage());
    }
}
