package org.ringkernel.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.server.config.TestFiles.write;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ringkernel.bridge.runtime.SettingsException;
import org.ringkernel.kernels.builtin.BuiltinKernels;

/** Every kind of bad value stops start-up in {@link ServerConfig#validate} with the key's path. */
class ValidationTest {
    @TempDir
    Path dir;

    private SettingsException rejected(Map<String, String> env) {
        return assertThrows(SettingsException.class,
                () -> ServerConfig.validate(ServerConfig.load(List.of(), env, dir)));
    }

    @ParameterizedTest(name = "{0}={1} is rejected at {2}")
    @CsvSource(delimiter = '|', value = {
            "RINGKERNEL_HTTP_PORT                    | eighty      | ringkernel.http.port",
            "RINGKERNEL_KERNELS__INSTANCES           | many        | ringkernel.kernels.instances",
            "RINGKERNEL_SUPERVISION__RETRY_IN_FLIGHT | maybe       | ringkernel.supervision.retry-in-flight",
            "RINGKERNEL_TELEMETRY__ENABLED           | sometimes   | ringkernel.telemetry.enabled",
            "RINGKERNEL_TELEMETRY__TRACE_SAMPLE_RATE | 1.5         | ringkernel.telemetry.trace-sample-rate",
            "RINGKERNEL_TELEMETRY__TRACE_SAMPLE_RATE | -0.1        | ringkernel.telemetry.trace-sample-rate",
            "RINGKERNEL_TELEMETRY__TRACE_SAMPLE_RATE | often       | ringkernel.telemetry.trace-sample-rate",
            "RINGKERNEL_HTTP_PORT                    | 70000       | ringkernel.http.port",
            "RINGKERNEL_QUEUE_CAPACITY               | 1000        | ringkernel.queue-capacity",
            "RINGKERNEL_KERNEL__BLOCK_SIZE           | 100         | ringkernel.kernel.block-size",
            "RINGKERNEL_DEVICE_ID                    | -1          | ringkernel.device-id",
            "RINGKERNEL_KERNELS__MAX                 | 2           | ringkernel.kernels.max",
            "RINGKERNEL_HTTP__STREAM_PARALLELISM     | 0           | ringkernel.http.stream-parallelism",
            "RINGKERNEL_BACKEND                      | gpu         | ringkernel.backend",
            "RINGKERNEL_BATCHING__MODE               | sometimes   | ringkernel.batching.mode",
            "RINGKERNEL_LOG_FORMAT                   | xml         | ringkernel.logging.format",
            "RINGKERNEL_LOG_LEVEL                    | loud        | ringkernel.logging.level",
            "RINGKERNEL_KERNELS__START               | echo,cube   | ringkernel.kernels.start",
            "RINGKERNEL_REQUEST_TIMEOUT              | soon        | ringkernel.request-timeout",
            "RINGKERNEL_REQUEST_TIMEOUT              | 0s          | ringkernel.request-timeout",
            "RINGKERNEL_BATCHING__MAX_DELAY          | -1ms        | ringkernel.batching.max-delay",
            "RINGKERNEL_HTTP__SHUTDOWN_DEADLINE      | 10 parsecs  | ringkernel.http.shutdown-deadline",
            "RINGKERNEL_MEMORY__POOL_SIZE            | lots        | ringkernel.memory.pool-size",
            "RINGKERNEL_MEMORY__POOL_SIZE            | 512KiB      | ringkernel.memory.pool-size",
            "RINGKERNEL_KERNEL__ARENA_SIZE           | 100         | ringkernel.kernel.arena-size",
            "RINGKERNEL_HTTP__MAX_REQUEST_BYTES      | 3 GiB       | ringkernel.http.max-request-bytes",
            "RINGKERNEL_HTTP__INTERFACE              | ' '         | ringkernel.http.interface",
            "RINGKERNEL_REQUEST_TIMEOUT              | 300 days    | ringkernel.request-timeout",
            "RINGKERNEL_MAX_QUEUE_TIME               | 0s          | ringkernel.max-queue-time",
            "RINGKERNEL_BATCHING__MAX_DELAY          | 300 days    | ringkernel.batching.max-delay",
            "RINGKERNEL_SUPERVISION__RESTART_MIN_BACKOFF | 300 days | ringkernel.supervision.restart-min-backoff",
            "RINGKERNEL_SUPERVISION__UNAVAILABLE_RETRY_AFTER | 300 days | ringkernel.supervision.unavailable-retry-after",
            "RINGKERNEL_SUPERVISION__TICK_INTERVAL   | 300 days    | ringkernel.supervision.tick-interval",
            "RINGKERNEL_SUPERVISION__WATCHDOG_TIMEOUT | 60000 days | ringkernel.supervision.watchdog-timeout",
            "RINGKERNEL_SUPERVISION__MAX_RESTARTS_WITHIN | 60000 days | ringkernel.supervision.max-restarts-within",
            "RINGKERNEL_POLLER__IDLE__MAX_PARK       | 60000 days  | ringkernel.poller.idle.max-park",
            "RINGKERNEL_KERNEL__TERMINATE_TIMEOUT    | 60000 days  | ringkernel.kernel.terminate-timeout",
            "RINGKERNEL_HTTP__SHUTDOWN_DEADLINE      | 300 days    | ringkernel.http.shutdown-deadline",
            "RINGKERNEL_HTTP__RETRY_AFTER            | 30000 days  | ringkernel.http.retry-after",
            "RINGKERNEL_HTTP__MAX_ELEMENTS_PER_INPUT | 4194304     | ringkernel.http.max-elements-per-input",
            "RINGKERNEL_HTTP__MAX_BUFFERED_BYTES     | 1 MiB       | ringkernel.http.max-buffered-bytes",
            "RINGKERNEL_HTTP__REQUEST_HEAD_TIMEOUT   | 0s          | ringkernel.http.request-head-timeout",
            "RINGKERNEL_HTTP__KEEP_ALIVE_TIMEOUT     | 300 days    | ringkernel.http.keep-alive-timeout",
            "RINGKERNEL_HTTP__MAX_CONNECTIONS        | 0           | ringkernel.http.max-connections",
            "RINGKERNEL_HTTP__MANAGEMENT__PORT       | 8080        | ringkernel.http.management.port",
            "RINGKERNEL_HTTP__MANAGEMENT__REQUEST_HEAD_TIMEOUT | 300 days | ringkernel.http.management.request-head-timeout",
            "RINGKERNEL_CLUSTER__ENABLED              | maybe       | ringkernel.cluster.enabled",
            "RINGKERNEL_CLUSTER__ROLES                | gpu,cpu     | ringkernel.cluster.roles",
            "RINGKERNEL_CLUSTER__HOSTNAME             | ' '         | ringkernel.cluster.hostname",
            "RINGKERNEL_CLUSTER__PORT                 | 70000       | ringkernel.cluster.port",
            "RINGKERNEL_CLUSTER__SEED_NODES           | 127.0.0.1   | ringkernel.cluster.seed-nodes",
            "RINGKERNEL_CLUSTER__SEED_NODES           | 127.0.0.1:2551,h:0 | ringkernel.cluster.seed-nodes",
            "RINGKERNEL_CLUSTER__NUMBER_OF_SHARDS     | 0           | ringkernel.cluster.number-of-shards",
            "RINGKERNEL_CLUSTER__INSTANCES_PER_KERNEL | 0           | ringkernel.cluster.instances-per-kernel",
            "RINGKERNEL_CLUSTER__INSTANCES__CUBE      | 2           | ringkernel.cluster.instances.cube",
            "RINGKERNEL_CLUSTER__SPLIT_BRAIN_RESOLVER__ACTIVE_STRATEGY | keep-all | ringkernel.cluster.split-brain-resolver.active-strategy",
            "RINGKERNEL_CLUSTER__SPLIT_BRAIN_RESOLVER__STABLE_AFTER | 0s | ringkernel.cluster.split-brain-resolver.stable-after",
            "RINGKERNEL_CLUSTER__MAX_MESSAGE_SIZE     | 1 KiB       | ringkernel.cluster.max-message-size"})
    void aBadValueIsReportedWithItsPathAndWhereItWasSet(String variable, String value, String path) {
        SettingsException e = rejected(Map.of(variable, value));
        assertEquals(path, e.path());
        assertTrue(e.getMessage().startsWith(path + ": expected "), e.getMessage());
        assertTrue(e.getMessage().endsWith("(set in environment variable " + variable + ")"), e.getMessage());
    }

    @Test
    void theMessageSaysWhatWasExpectedAndWhatWasGiven() {
        assertEquals("ringkernel.backend: expected one of auto, cpu, cuda, got 'gpu'"
                        + " (set in environment variable RINGKERNEL_BACKEND)",
                rejected(Map.of("RINGKERNEL_BACKEND", "gpu")).getMessage());
        assertEquals("ringkernel.http.port: expected a whole number in [0, 65535], got 70000"
                        + " (set in environment variable RINGKERNEL_HTTP_PORT)",
                rejected(Map.of("RINGKERNEL_HTTP_PORT", "70000")).getMessage());
        assertEquals("ringkernel.telemetry.trace-sample-rate: expected a number from 0.0 to 1.0, got 1.5"
                        + " (set in environment variable RINGKERNEL_TELEMETRY__TRACE_SAMPLE_RATE)",
                rejected(Map.of("RINGKERNEL_TELEMETRY__TRACE_SAMPLE_RATE", "1.5")).getMessage());
    }

    @Test
    void aClusterSettingSaysWhatWasExpected() {
        assertEquals("ringkernel.cluster.seed-nodes: expected host:port of each seed node, as in 127.0.0.1:2551, got "
                        + "'pekko://ringkernel@127.0.0.1:2551' (set in environment variable RINGKERNEL_CLUSTER__SEED_NODES)",
                rejected(Map.of("RINGKERNEL_CLUSTER__SEED_NODES", "pekko://ringkernel@127.0.0.1:2551")).getMessage());
        assertEquals("ringkernel.cluster.roles: expected roles among gpu and ingress, got 'cpu' (set in environment "
                + "variable RINGKERNEL_CLUSTER__ROLES)", rejected(Map.of("RINGKERNEL_CLUSTER__ROLES", "cpu")).getMessage());
        assertEquals("ringkernel.cluster.instances.cube: expected a built-in kernel id as the key (" + String.join(", ",
                        BuiltinKernels.ids().stream().sorted().toList()) + "), got 'cube' (set in environment variable RINGKERNEL_CLUSTER__INSTANCES__CUBE)",
                rejected(Map.of("RINGKERNEL_CLUSTER__INSTANCES__CUBE", "2")).getMessage());
    }

    @Test
    void aDurationPastWhatPekkosSchedulerTakesIsRejectedNamingTheBound() {
        assertEquals("ringkernel.request-timeout: expected a positive duration of at most 248.55 days (the longest "
                        + "delay Pekko's scheduler takes, Int.MaxValue ticks of pekko.scheduler.tick-duration, less the "
                        + "ask's margin of 2 s), got 300.00 days (set in environment variable RINGKERNEL_REQUEST_TIMEOUT)",
                rejected(Map.of("RINGKERNEL_REQUEST_TIMEOUT", "300 days")).getMessage());
    }

    @Test
    void anInputLimitTheArenaCannotHoldNamesBothSettings() {
        assertEquals("ringkernel.http.max-elements-per-input: expected at most 2097152, so that an input that large and "
                        + "its output fit a kernel's arena (ringkernel.kernel.arena-size, 16777216 bytes; raise it to "
                        + "33554432 bytes to allow this), got 4194304 (set in environment variable "
                        + "RINGKERNEL_HTTP__MAX_ELEMENTS_PER_INPUT)",
                rejected(Map.of("RINGKERNEL_HTTP__MAX_ELEMENTS_PER_INPUT", "4194304")).getMessage());
    }

    @Test
    void aKeystoreThatIsNotPkcs12IsRejectedAtItsPath() throws Exception {
        Path keystore = dir.resolve("server.jks");
        Files.writeString(keystore, "-----BEGIN CERTIFICATE-----\nnot a keystore\n");
        SettingsException e = rejected(Map.of("RINGKERNEL_HTTP__TLS__KEYSTORE", keystore.toString()));
        assertEquals("ringkernel.http.tls.keystore", e.path());
        assertTrue(e.getMessage().startsWith("ringkernel.http.tls.keystore: expected a PKCS12 keystore with the "
                + "server's private key, readable with ringkernel.http.tls.keystore-password; '" + keystore
                + "' is not a PKCS12 keystore ("), e.getMessage());
    }

    @Test
    void aKeystoreWithTheWrongPasswordIsRejected() throws Exception {
        Path keystore = dir.resolve("empty.p12");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        try (OutputStream out = Files.newOutputStream(keystore)) {
            keys.store(out, "right".toCharArray());
        }
        SettingsException e = rejected(Map.of("RINGKERNEL_HTTP__TLS__KEYSTORE", keystore.toString(),
                "RINGKERNEL_HTTP__TLS__KEYSTORE_PASSWORD", "wrong"));
        assertTrue(e.getMessage().contains("' cannot be opened with that password"), e.getMessage());

        SettingsException noKey = rejected(Map.of("RINGKERNEL_HTTP__TLS__KEYSTORE", keystore.toString(),
                "RINGKERNEL_HTTP__TLS__KEYSTORE_PASSWORD", "right"));
        assertTrue(noKey.getMessage().contains("' holds no private key, only certificates"), noKey.getMessage());
    }

    @Test
    void aConstraintBetweenKeysIsReportedAtTheDependentKey() {
        SettingsException e = rejected(Map.of("RINGKERNEL_QUEUE_CAPACITY", "16"));
        assertEquals("ringkernel.kernel.max-batch-size", e.path());
        assertEquals("ringkernel.kernel.max-batch-size: expected a size in [1, queue-capacity 16], got 256",
                e.getMessage());
    }

    @Test
    void aMissingKeystoreIsReportedAtItsPath() {
        String keystore = dir.resolve("absent.p12").toString();
        SettingsException e = rejected(Map.of("RINGKERNEL_HTTP__TLS__KEYSTORE", keystore));
        assertEquals("ringkernel.http.tls.keystore", e.path());
        assertTrue(e.getMessage().contains("a readable PKCS12 file, got '" + keystore + "'"), e.getMessage());
    }

    @Test
    void aBadValueInAFileNamesTheFileAndLine() {
        write(dir, "conf/application.conf", "ringkernel {\n  batching.mode = sometimes\n}\n");
        SettingsException e = rejected(Map.of());
        assertEquals("ringkernel.batching.mode", e.path());
        assertTrue(e.getMessage().contains("(set in " + dir.resolve("conf/application.conf") + ": 2)"),
                e.getMessage());
    }
}
