package org.ringkernel.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.server.config.TestFiles.write;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringkernel.bridge.runtime.SettingsException;
import org.ringkernel.grpc.GrpcSettings;

/** {@code ringkernel.grpc} from its defaults, the environment and TOML, and the errors of bad values. */
class GrpcSettingsTest {
    @TempDir
    Path dir;

    private ServerSettings load(Map<String, String> env, List<String> args) {
        return ServerConfig.validate(ServerConfig.load(args, env, dir));
    }

    @Test
    void theDefaultsServeGrpcOnPort50051WithReflection() {
        GrpcSettings grpc = load(Map.of(), List.of()).grpc();
        assertTrue(grpc.enabled());
        assertEquals(50051, grpc.port());
        assertEquals(16 << 20, grpc.maxMessageBytes());
        assertTrue(grpc.reflection());
    }

    @Test
    void theEnvironmentAndTomlSetThePortAndTheSwitches() {
        assertEquals("ringkernel.grpc.port", EnvironmentOverrides.path("RINGKERNEL_GRPC__PORT"));
        assertEquals(6000, load(Map.of("RINGKERNEL_GRPC__PORT", "6000"), List.of()).grpc().port());
        write(dir, "app.toml", """
                [grpc]
                port = 7000
                reflection = false
                max_message_bytes = "4 MiB"
                """);
        GrpcSettings grpc = load(Map.of(), List.of("--config", "app.toml")).grpc();
        assertEquals(7000, grpc.port());
        assertFalse(grpc.reflection());
        assertEquals(4 << 20, grpc.maxMessageBytes());
        assertFalse(load(Map.of("RINGKERNEL_GRPC__ENABLED", "off"), List.of()).grpc().enabled());
    }

    @Test
    void badValuesAreNamedWithWhatWasExpected() {
        SettingsException samePort = assertThrows(SettingsException.class,
                () -> load(Map.of("RINGKERNEL_GRPC__PORT", "8080"), List.of()));
        assertEquals("ringkernel.grpc.port", samePort.path());
        assertTrue(samePort.getMessage().contains("a port other than ringkernel.http.port (8080)"),
                samePort.getMessage());
        SettingsException tiny = assertThrows(SettingsException.class,
                () -> load(Map.of("RINGKERNEL_GRPC__MAX_MESSAGE_BYTES", "100"), List.of()));
        assertEquals("ringkernel.grpc.max-message-bytes", tiny.path());
        assertTrue(tiny.getMessage().contains("a size between 1 KiB and 2 GiB"), tiny.getMessage());
        assertThrows(SettingsException.class, () -> load(Map.of("RINGKERNEL_GRPC__PORT", "70000"), List.of()));
    }
}
