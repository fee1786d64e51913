package org.ringkernel.server.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringkernel.bridge.runtime.SettingsException;

/** The kernels started with the server must fit the JVM's direct memory, or start-up stops with the sizes. */
class DirectMemoryCheckTest {
    @TempDir
    Path dir;

    private ServerSettings settings(Map<String, String> env) {
        return ServerConfig.validate(ServerConfig.load(List.of(), env, dir));
    }

    private void require(Map<String, String> env, String maxDirectMemory) {
        ServerSettings settings = settings(env);
        DirectMemoryCheck.require(settings.kernels(), settings.cluster(), JvmMemory.bytes(maxDirectMemory));
    }

    @Test
    void theDefaultKernelsFitTheLaunchersDirectMemory() {
        assertDoesNotThrow(() -> require(Map.of(), "384m"));
    }

    @Test
    void aGpuNodeOfAClusterHasRoomForEveryEntityOfTheStartedKernels() {
        assertDoesNotThrow(() -> require(Map.of("RINGKERNEL_CLUSTER__ENABLED", "on"), "384m"));
        SettingsException e = assertThrows(SettingsException.class,
                () -> require(Map.of("RINGKERNEL_CLUSTER__ENABLED", "on"), "256m"));
        assertTrue(e.getMessage().startsWith("ringkernel.kernels.start: expected kernels whose memory fits the JVM's "
                + "direct memory: 20 kernel entities (every entity of the started kernels, as the last node with role "
                + "gpu hosts them) take "), e.getMessage());
    }

    @Test
    void anIngressOnlyNodeNeedsNoDirectMemoryForKernels() {
        assertDoesNotThrow(() -> require(Map.of("RINGKERNEL_CLUSTER__ENABLED", "on", "RINGKERNEL_CLUSTER__ROLES",
                "ingress"), "16m"));
    }

    @Test
    void tooLittleDirectMemoryNamesTheSizesAndWhatToRaise() {
        SettingsException e = assertThrows(SettingsException.class, () -> require(Map.of(), "64m"));
        assertTrue(e.getMessage().startsWith("ringkernel.kernels.start: expected kernels whose memory fits the JVM's "
                + "direct memory: 10 kernels x 1 instances take "), e.getMessage());
        assertTrue(e.getMessage().contains("more than the 64.0 MiB of -XX:MaxDirectMemorySize; raise it"),
                e.getMessage());
    }
}
