package org.ringkernel.server.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringkernel.actors.RingKernelSettings;
import org.ringkernel.bridge.runtime.SettingsException;

/** The kernels started with the server must fit the JVM's direct memory, or start-up stops with the sizes. */
class DirectMemoryCheckTest {
    @TempDir
    Path dir;

    private RingKernelSettings defaults() {
        return ServerConfig.validate(ServerConfig.load(List.of(), Map.of(), dir)).kernels();
    }

    @Test
    void theDefaultKernelsFitTheLaunchersDirectMemory() {
        assertDoesNotThrow(() -> DirectMemoryCheck.require(defaults(), JvmMemory.bytes("384m")));
    }

    @Test
    void tooLittleDirectMemoryNamesTheSizesAndWhatToRaise() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> DirectMemoryCheck.require(defaults(), JvmMemory.bytes("64m")));
        assertTrue(e.getMessage().startsWith("ringkernel.kernels.start: expected kernels whose memory fits the JVM's "
                + "direct memory: 10 kernels x 1 instances take "), e.getMessage());
        assertTrue(e.getMessage().contains("more than the 64.0 MiB of -XX:MaxDirectMemorySize; raise it"),
                e.getMessage());
    }
}
