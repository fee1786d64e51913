package org.ringkernel.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.server.config.TestFiles.write;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringkernel.bridge.runtime.BackendKind;
import org.ringkernel.bridge.runtime.SettingsException;

class TomlConfigTest {
    @TempDir
    Path dir;

    private Config loadToml(String toml) {
        write(dir, "app.toml", toml);
        return ServerConfig.load(List.of("--config", "app.toml"), Map.of(), dir);
    }

    @Test
    void theRepositoryAppTomlLoadsAndValidates() {
        ServerSettings settings = ServerConfig.validate(
                ServerConfig.load(List.of("--config", "conf/app.toml"), Map.of(), TestFiles.REPOSITORY));
        assertEquals(2048, settings.kernels().bridge().instance().capacity());
        assertEquals(Duration.ofSeconds(30), settings.kernels().requestTimeout());
        assertEquals("json", settings.http().logFormat());
    }

    @Test
    void everyKeyOfTheGuidesExampleLandsOnItsConfigurationKey() {
        Config config = loadToml("""
                backend = "cpu"
                device_id = 1
                queue_capacity = 512
                telemetry_enabled = false

                [kernel]
                default_block_size = 128
                max_kernels = 32
                timeout_ms = 2500

                [memory]
                pool_size = 134217728
                enable_pooling = true

                [logging]
                level = "debug"
                format = "json"
                """);

        assertEquals("cpu", config.getString("ringkernel.backend"));
        assertEquals(1, config.getInt("ringkernel.device-id"));
        assertEquals(512, config.getInt("ringkernel.queue-capacity"));
        assertFalse(config.getBoolean("ringkernel.telemetry.enabled"));
        assertEquals(128, config.getInt("ringkernel.kernel.block-size"));
        assertEquals(32, config.getInt("ringkernel.kernels.max"));
        assertEquals(Duration.ofMillis(2500), config.getDuration("ringkernel.request-timeout"));
        assertEquals(128L << 20, config.getBytes("ringkernel.memory.pool-size"));
        assertTrue(config.getBoolean("ringkernel.memory.enable-pooling"));
        assertEquals("debug", config.getString("ringkernel.logging.level"));
        assertEquals("json", config.getString("ringkernel.logging.format"));

        ServerSettings settings = ServerConfig.validate(config);
        assertEquals(BackendKind.CPU, settings.kernels().bridge().backend());
        assertEquals(128, settings.kernels().bridge().blockSize());
    }

    @Test
    void timeoutMsBecomesADurationInMilliseconds() {
        assertEquals("30000 ms", loadToml("[kernel]\ntimeout_ms = 30000\n").getString("ringkernel.request-timeout"));
    }

    @Test
    void timeoutMsMustBeAWholeNumber() {
        ConfigLoadException e = assertThrows(ConfigLoadException.class,
                () -> loadToml("[kernel]\ntimeout_ms = \"30s\"\n"));
        assertTrue(e.getMessage().endsWith("app.toml: key 'kernel.timeout_ms' expected a whole number of milliseconds,"
                + " got \"30s\""), e.getMessage());
    }

    @Test
    void otherKeysMapTableByTableFromSnakeCaseToKebabCase() {
        Config config = loadToml("""
                [batching]
                mode = "off"
                max_delay = "1ms"

                [http]
                port = 9000
                tls = { keystore = "" }

                [kernels]
                start = ["echo", "square"]
                """);

        assertEquals("off", config.getString("ringkernel.batching.mode"));
        assertEquals(Duration.ofMillis(1), config.getDuration("ringkernel.batching.max-delay"));
        assertEquals(9000, config.getInt("ringkernel.http.port"));
        assertEquals(List.of("echo", "square"), config.getStringList("ringkernel.kernels.start"));
        ServerConfig.validate(config);
    }

    @Test
    void anUnknownKeyIsNamedWithItsFile() {
        ConfigLoadException e = assertThrows(ConfigLoadException.class,
                () -> loadToml("[kernel]\nmax_kernel = 8\n"));
        assertEquals(dir.resolve("app.toml") + ": key 'kernel.max_kernel' maps to ringkernel.kernel.max-kernel,"
                + " which is not a configuration key", e.getMessage());
    }

    @Test
    void malformedTomlIsReportedWithItsLine() {
        ConfigLoadException e = assertThrows(ConfigLoadException.class,
                () -> loadToml("backend = \"cpu\"\n[kernel\nmax_kernels = 8\n"));
        assertTrue(e.getMessage().startsWith(dir.resolve("app.toml") + ": malformed TOML at line 2: "),
                e.getMessage());
    }

    @Test
    void aBadValueFromTomlIsReportedAtItsKeyAndWhereItWasSet() {
        Config config = loadToml("queue_capacity = 1000\n");
        SettingsException e = assertThrows(SettingsException.class, () -> ServerConfig.validate(config));
        assertEquals("ringkernel.queue-capacity", e.path());
        assertTrue(e.getMessage().endsWith("got 1000 (set in " + dir.resolve("app.toml") + ": queue_capacity)"),
                e.getMessage());
    }
}
