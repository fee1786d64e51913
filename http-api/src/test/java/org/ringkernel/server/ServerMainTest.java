package org.ringkernel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The server's main as the operator meets it: usage, and exit code 2 with the key's path for a bad
 * configuration. Only paths that start no server are run here: a successful run leaves its server up.
 */
class ServerMainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private int run(List<String> args, Map<String, String> env) {
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            return RingKernelServer.run(args, env, dir, out);
        }
    }

    private String output() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBadEnvironmentValueExitsWith2NamingTheKey() {
        assertEquals(RingKernelServer.BAD_CONFIGURATION, run(List.of(), Map.of("RINGKERNEL_QUEUE_CAPACITY", "1000")));
        assertTrue(output().startsWith("configuration error: ringkernel.queue-capacity: expected a power of two"),
                output());
        assertTrue(output().contains("got 1000 (set in environment variable RINGKERNEL_QUEUE_CAPACITY)"), output());
    }

    @ParameterizedTest(name = "{0}={1} exits 2 naming {2}")
    @CsvSource(delimiter = '|', value = {
            "RINGKERNEL_CLUSTER__SEED_NODES       | 127.0.0.1:2551,localhost | ringkernel.cluster.seed-nodes: expected host:port",
            "RINGKERNEL_CLUSTER__ROLES            | gpu,cpu                  | ringkernel.cluster.roles: expected roles among",
            "RINGKERNEL_CLUSTER__NUMBER_OF_SHARDS | 0                        | ringkernel.cluster.number-of-shards: expected"})
    void aBadClusterSettingExitsWith2NamingTheKey(String variable, String value, String start) {
        assertEquals(RingKernelServer.BAD_CONFIGURATION, run(List.of(), Map.of("RINGKERNEL_CLUSTER__ENABLED", "on",
                variable, value)));
        assertTrue(output().startsWith("configuration error: " + start), output());
        assertTrue(output().strip().endsWith("(set in environment variable " + variable + ")"), output());
        assertEquals(1, output().lines().count(), "one line, no stack trace: " + output());
    }

    @Test
    void aBadValueInATomlFileExitsWith2NamingTheKeyAndFile() throws IOException {
        Files.writeString(dir.resolve("app.toml"), "queue_capacity = 1000\n");
        assertEquals(2, run(List.of("--config", "app.toml"), Map.of()));
        assertTrue(output().startsWith("configuration error: ringkernel.queue-capacity: expected a power of two"),
                output());
        assertTrue(output().contains("app.toml"), output());
    }

    @Test
    void aBadValueInTheOperatorsApplicationConfExitsWith2() throws IOException {
        Files.createDirectories(dir.resolve("conf"));
        Files.writeString(dir.resolve("conf/application.conf"), "ringkernel.http.port = 70000\n");
        assertEquals(2, run(List.of(), Map.of()));
        assertTrue(output().startsWith("configuration error: ringkernel.http.port: expected a whole number in "
                + "[0, 65535], got 70000"), output());
    }

    @Test
    void aRequestTimeoutPekkoCannotScheduleExitsWith2() {
        assertEquals(2, run(List.of(), Map.of("RINGKERNEL_REQUEST_TIMEOUT", "300 days")));
        assertTrue(output().startsWith("configuration error: ringkernel.request-timeout: expected a positive duration "
                + "of at most 248.55 days"), output());
    }

    @Test
    void aKeystoreThatIsNotPkcs12ExitsWith2AndASentence() throws IOException {
        Path keystore = dir.resolve("server.pem");
        Files.writeString(keystore, "-----BEGIN PRIVATE KEY-----\nnot a keystore\n");
        assertEquals(2, run(List.of(), Map.of("RINGKERNEL_HTTP__TLS__KEYSTORE", keystore.toString())));
        assertTrue(output().startsWith("configuration error: ringkernel.http.tls.keystore: expected a PKCS12 keystore "
                + "with the server's private key"), output());
        assertTrue(output().contains("is not a PKCS12 keystore"), output());
        assertEquals(1, output().lines().count(), "one line, no stack trace: " + output());
    }

    @Test
    void aMissingConfigFileExitsWith2NamingIt() {
        assertEquals(2, run(List.of("--config", "absent.toml"), Map.of()));
        assertTrue(output().startsWith("configuration error: "), output());
        assertTrue(output().contains("absent.toml"), output());
    }

    @Test
    void helpPrintsUsageAndExits0() {
        assertEquals(0, run(List.of("--help"), Map.of("RINGKERNEL_QUEUE_CAPACITY", "1000")));
        assertTrue(output().startsWith("usage: java -jar ringkernel-server.jar [--config FILE] [--help]"), output());
        assertTrue(output().contains("--config FILE"), output());
    }

    @Test
    void anUnknownOptionExitsWith2NamingItAndTheOptions() {
        assertEquals(2, run(List.of("--port", "9000"), Map.of()));
        assertEquals("configuration error: unknown option '--port'; options: --config FILE, --help",
                output().strip());
    }
}
