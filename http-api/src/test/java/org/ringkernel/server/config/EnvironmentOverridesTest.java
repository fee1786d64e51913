package org.ringkernel.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ringkernel.actors.cluster.ClusterSettings;
import org.ringkernel.bridge.runtime.BackendKind;

class EnvironmentOverridesTest {
    @TempDir
    Path dir;

    private Config load(Map<String, String> env) {
        return ServerConfig.load(List.of(), env, dir);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "RINGKERNEL_MEMORY__POOL_SIZE, ringkernel.memory.pool-size",
            "RINGKERNEL_KERNEL__IDLE__MAX_PARK, ringkernel.kernel.idle.max-park",
            "RINGKERNEL_QUEUE_CAPACITY, ringkernel.queue-capacity",
            "RINGKERNEL_HTTP__ADMIN_TOKEN, ringkernel.http.admin-token",
            "RINGKERNEL_BACKEND, ringkernel.backend",
            "RINGKERNEL_HTTP_PORT, ringkernel.http.port",
            "RINGKERNEL_LOG_FORMAT, ringkernel.logging.format",
            "RINGKERNEL_LOG_LEVEL, ringkernel.logging.level"})
    void aVariableNamesItsPath(String variable, String path) {
        assertEquals(path, EnvironmentOverrides.path(variable));
    }

    @Test
    void poolSizeFromTheEnvironmentIsReadAsASize() {
        Config config = load(Map.of("RINGKERNEL_MEMORY__POOL_SIZE", "512MiB"));
        assertEquals(512L << 20, config.getBytes("ringkernel.memory.pool-size"));
        assertEquals(512L << 20, ServerConfig.validate(config).kernels().bridge().memory().poolBytes());
    }

    @Test
    void shorthandsSetThePortTheBackendAndTheLogFormat() {
        ServerSettings settings = ServerConfig.validate(load(Map.of(
                "RINGKERNEL_HTTP_PORT", "9090", "RINGKERNEL_BACKEND", "cpu", "RINGKERNEL_LOG_FORMAT", "json")));
        assertEquals(9090, settings.http().port());
        assertEquals(BackendKind.CPU, settings.kernels().bridge().backend());
        assertEquals("json", settings.http().logFormat());
    }

    @Test
    void nestedKeysAndDurationsAreConvertedWhenRead() {
        Config config = load(Map.of("RINGKERNEL_KERNEL__IDLE__MAX_PARK", "3ms",
                "RINGKERNEL_SUPERVISION__RETRY_IN_FLIGHT", "on"));
        ServerSettings settings = ServerConfig.validate(config);
        assertEquals(Duration.ofMillis(3), settings.kernels().bridge().instance().idle().maxPark());
        assertTrue(settings.kernels().supervision().retryInFlight());
    }

    @Test
    void aListKeyTakesCommaSeparatedValues() {
        Config config = load(Map.of("RINGKERNEL_KERNELS__START", "echo, square"));
        assertEquals(List.of("echo", "square"), ServerConfig.validate(config).kernels().startKernels());
    }

    @Test
    void theClusterIsConfiguredByItsVariablesAlone() {
        ClusterSettings cluster = ServerConfig.validate(load(Map.of(
                "RINGKERNEL_CLUSTER__ENABLED", "true",
                "RINGKERNEL_CLUSTER__ROLES", "gpu, ingress",
                "RINGKERNEL_CLUSTER__HOSTNAME", "10.0.0.7",
                "RINGKERNEL_CLUSTER__PORT", "2552",
                "RINGKERNEL_CLUSTER__SEED_NODES", "127.0.0.1:2551,127.0.0.1:2552",
                "RINGKERNEL_CLUSTER__NUMBER_OF_SHARDS", "30",
                "RINGKERNEL_CLUSTER__INSTANCES__MATMUL", "4"))).cluster();
        assertTrue(cluster.enabled());
        assertEquals(List.of("gpu", "ingress"), cluster.roles());
        assertEquals("10.0.0.7", cluster.hostname());
        assertEquals(2552, cluster.port());
        assertEquals(List.of(new ClusterSettings.SeedNode("127.0.0.1", 2551), new ClusterSettings.SeedNode("127.0.0.1",
                2552)), cluster.seedNodes());
        assertEquals(30, cluster.numberOfShards());
        assertEquals(4, cluster.instancesOf("matmul"));
        assertEquals(cluster.instancesPerKernel(), cluster.instancesOf("square"));
    }

    @Test
    void clusteringIsOffByDefault() {
        assertFalse(ServerConfig.validate(load(Map.of())).cluster().enabled());
    }

    @Test
    void variablesWithoutThePrefixAreIgnored() {
        Config config = load(Map.of("PATH", "/bin", "HTTP_PORT", "1", "ringkernel_backend", "cuda"));
        assertEquals(8080, config.getInt("ringkernel.http.port"));
        assertEquals("auto", config.getString("ringkernel.backend"));
    }

    @Test
    void aVariableForAnUnknownKeyNamesTheVariableAndThePath() {
        ConfigLoadException e = assertThrows(ConfigLoadException.class,
                () -> load(Map.of("RINGKERNEL_MEMORY__POOLSIZE", "1GiB")));
        assertEquals("environment variable RINGKERNEL_MEMORY__POOLSIZE maps to ringkernel.memory.poolsize, which is"
                + " not a configuration key (RINGKERNEL_A__B_C sets ringkernel.a.b-c)", e.getMessage());
    }

    @Test
    void aVariableThroughALeafKeyIsUnknown() {
        ConfigLoadException e = assertThrows(ConfigLoadException.class,
                () -> load(Map.of("RINGKERNEL_BACKEND__KIND", "cpu")));
        assertTrue(e.getMessage().contains("RINGKERNEL_BACKEND__KIND maps to ringkernel.backend.kind"));
    }

    @Test
    void anEmptyPathSegmentIsRejected() {
        ConfigLoadException e = assertThrows(ConfigLoadException.class,
                () -> load(Map.of("RINGKERNEL_MEMORY____POOL_SIZE", "1GiB")));
        assertTrue(e.getMessage().startsWith("environment variable RINGKERNEL_MEMORY____POOL_SIZE: expected"));
        assertThrows(ConfigLoadException.class, () -> load(Map.of("RINGKERNEL_", "x")));
    }
}
