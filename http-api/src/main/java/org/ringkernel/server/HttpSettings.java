package org.ringkernel.server;

import static org.ringkernel.bridge.runtime.SettingsReader.require;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Optional;
import org.ringkernel.actors.SchedulerLimit;
import org.ringkernel.bridge.runtime.DurationLimit;
import org.ringkernel.bridge.runtime.SettingsException;
import org.ringkernel.bridge.runtime.SettingsReader;

/**
 * The HTTP server's configuration, read once from {@code ringkernel.http} and {@code ringkernel.logging};
 * every key is documented in this module's {@code reference.conf}.
 *
 * @param iface the interface to bind
 * @param port the port (0 for any free one)
 * @param maxRequestBytes the largest request body
 * @param maxElementsPerInput the most elements of one input tensor
 * @param maxLineBytes the longest NDJSON line
 * @param streamParallelism requests of one NDJSON stream in a kernel at once
 * @param retryAfter what a 503 advises
 * @param adminToken the admin route's bearer token; empty disables the route
 * @param tls HTTPS settings; empty serves plain HTTP
 * @param shutdownDeadline how long requests in flight get at shutdown
 * @param logFormat {@code text} or {@code json}
 * @param connections limits on the main port's connections
 * @param management the port of the probes; empty serves them on the main port only
 * @param bodyTimeout how long a request body may take to arrive whole
 * @param streamStallTimeout how long an NDJSON stream waits for a client that takes nothing before ending it
 * @param maxBufferedBytes the most bytes of request bodies held at once, over all requests
 */
public record HttpSettings(String iface, int port, long maxRequestBytes, int maxElementsPerInput, int maxLineBytes,
                           int streamParallelism, Duration retryAfter, Optional<String> adminToken,
                           Optional<TlsSettings> tls, Duration shutdownDeadline, String logFormat,
                           ConnectionSettings connections, Optional<ManagementSettings> management,
                           Duration bodyTimeout, Duration streamStallTimeout, long maxBufferedBytes) {

    /**
     * What a connection may cost the server.
     *
     * @param requestHeadTimeout how long a new connection has to deliver its first request head
     * @param keepAliveTimeout how long a connection may stay open with no request in progress
     * @param maxConnections the most connections served at once
     */
    public record ConnectionSettings(Duration requestHeadTimeout, Duration keepAliveTimeout, int maxConnections) {
        static ConnectionSettings read(SettingsReader read, String p, DurationLimit schedulable) {
            return new ConnectionSettings(
                    read.positiveDuration(p + "request-head-timeout", schedulable),
                    read.positiveDuration(p + "keep-alive-timeout", schedulable),
                    read.integer(p + "max-connections", 1, 1 << 16));
        }
    }

    /**
     * The management port: {@code /health} and {@code /ready} on connections of their own, so that the probes
     * stay answerable whatever clients do to the main port.
     *
     * @param iface the interface to bind
     * @param port the port (0 for any free one)
     * @param connections limits on its connections
     */
    public record ManagementSettings(String iface, int port, ConnectionSettings connections) {
    }

    /**
     * A PKCS12 keystore with the server's key and certificate, loaded and checked when the settings are read.
     *
     * @param keystore its path
     * @param password its password
     * @param keys the loaded keystore, holding at least one private key
     */
    public record TlsSettings(Path keystore, String password, KeyStore keys) {
    }

    /** The largest Retry-After: HTTP recipients need only parse delta-seconds up to 2^31. */
    private static final DurationLimit MAX_RETRY_AFTER = new DurationLimit(Duration.ofSeconds(Integer.MAX_VALUE),
            "the largest Retry-After clients must parse, 2147483647 s");

    /**
     * @throws org.ringkernel.bridge.runtime.SettingsException naming the first bad key and what was expected
     */
    public static HttpSettings fromConfig(Config config) {
        SettingsReader read = new SettingsReader(config);
        String p = "ringkernel.http.";
        String iface = read.string(p + "interface");
        require(!iface.isBlank(), p + "interface", "an interface address such as 0.0.0.0, got an empty value");
        int port = read.integer(p + "port", 0, 65535);
        long maxBytes = read.bytes(p + "max-request-bytes");
        require(maxBytes >= 1024 && maxBytes <= Integer.MAX_VALUE, p + "max-request-bytes",
                "a size between 1 KiB and 2 GiB, got " + maxBytes);
        int maxElements = read.integer(p + "max-elements-per-input", 1, Integer.MAX_VALUE);
        long maxLine = read.bytes(p + "max-line-bytes");
        require(maxLine >= 64 && maxLine <= maxBytes, p + "max-line-bytes",
                "a size between 64 bytes and max-request-bytes (" + maxBytes + "), got " + maxLine);
        int parallelism = read.integer(p + "stream-parallelism", 1, 1 << 20);
        Duration retryAfter = read.positiveDuration(p + "retry-after", MAX_RETRY_AFTER);
        String token = read.string(p + "admin-token");
        Optional<TlsSettings> tls = tls(read, p + "tls.");
        DurationLimit schedulable = SchedulerLimit.of(config);
        Duration shutdown = read.positiveDuration(p + "shutdown-deadline",
                schedulable.less(HttpServer.SHUTDOWN_OVERHEAD, "the shutdown phase's margin"));
        ConnectionSettings connections = ConnectionSettings.read(read, p, schedulable);
        Optional<ManagementSettings> management = management(read, p + "management.", port, schedulable);
        String format = read.string("ringkernel.logging.format").strip().toLowerCase(Locale.ROOT);
        require(format.equals("text") || format.equals("json"), "ringkernel.logging.format",
                "text or json, got '" + format + "'");
        String level = read.string("ringkernel.logging.level").strip().toLowerCase(Locale.ROOT);
        require(level.matches("error|warn|info|debug|trace"), "ringkernel.logging.level",
                "one of error, warn, info, debug, trace, got '" + level + "'");
        long maxBuffered = read.bytes(p + "max-buffered-bytes");
        require(maxBuffered >= maxBytes, p + "max-buffered-bytes", "at least max-request-bytes (" + maxBytes
                + "), so that a body of the largest size can be taken, got " + maxBuffered);
        Duration bodyTimeout = read.positiveDuration(p + "body-timeout", schedulable);
        requireBelow(config, bodyTimeout, p + "body-timeout", "pekko.http.server.request-timeout",
                "so that a late body is answered 408 by the route, not 503 by Pekko");
        Duration stallTimeout = read.positiveDuration(p + "stream-stall-timeout", schedulable);
        requireBelow(config, stallTimeout, p + "stream-stall-timeout", "pekko.http.server.idle-timeout",
                "so that a stalled stream ends with its error line before Pekko drops the connection");
        return new HttpSettings(iface, port, maxBytes, maxElements, (int) maxLine, parallelism, retryAfter,
                token.isBlank() ? Optional.empty() : Optional.of(token), tls, shutdown, format, connections, management,
                bodyTimeout, stallTimeout, maxBuffered);
    }

    private static Optional<ManagementSettings> management(SettingsReader read, String p, int mainPort,
                                                           DurationLimit schedulable) {
        if (!read.bool(p + "enabled")) {
            return Optional.empty();
        }
        String iface = read.string(p + "interface");
        require(!iface.isBlank(), p + "interface", "an interface address such as 0.0.0.0, got an empty value");
        int port = read.integer(p + "port", 0, 65535);
        require(port == 0 || port != mainPort, p + "port", "a port other than ringkernel.http.port (" + mainPort
                + "), got " + port);
        return Optional.of(new ManagementSettings(iface, port, ConnectionSettings.read(read, p, schedulable)));
    }

    /** Requires {@code value} to be shorter than the Pekko timeout at {@code pekkoPath}, unless that is infinite. */
    private static void requireBelow(Config config, Duration value, String path, String pekkoPath, String why) {
        if (!config.hasPath(pekkoPath) || config.getString(pekkoPath).strip().equals("infinite")) {
            return;
        }
        Duration pekko = new SettingsReader(config).duration(pekkoPath);
        require(value.compareTo(pekko) < 0, path, "a duration shorter than " + pekkoPath + " (" + pekko.toMillis()
                + " ms) " + why + ", got " + value.toMillis() + " ms");
    }

    private static Optional<TlsSettings> tls(SettingsReader read, String p) {
        String keystore = read.string(p + "keystore");
        if (keystore.isBlank()) {
            return Optional.empty();
        }
        Path path = Path.of(keystore);
        require(Files.isReadable(path), p + "keystore", "a readable PKCS12 file, got '" + keystore + "'");
        String password = read.string(p + "keystore-password");
        return Optional.of(new TlsSettings(path, password, keyStore(path, password, p + "keystore")));
    }

    /** Loads the keystore as the server will use it, so that a keystore it cannot use stops start-up. */
    private static KeyStore keyStore(Path path, String password, String key) {
        String expected = "a PKCS12 keystore with the server's private key, readable with "
                + "ringkernel.http.tls.keystore-password; '" + path + "' ";
        KeyStore keys;
        try (InputStream in = Files.newInputStream(path)) {
            keys = KeyStore.getInstance("PKCS12");
            keys.load(in, password.toCharArray());
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            Throwable cause = e.getCause() instanceof UnrecoverableKeyException ? e.getCause() : e;
            throw new SettingsException(key, expected + (cause instanceof UnrecoverableKeyException
                    ? "cannot be opened with that password" : "is not a PKCS12 keystore (" + describe(e) + ")"));
        }
        try {
            for (String alias : Collections.list(keys.aliases())) {
                if (keys.isKeyEntry(alias)) {
                    return keys;
                }
            }
        } catch (KeyStoreException e) {
            throw new SettingsException(key, expected + "cannot be listed (" + describe(e) + ")");
        }
        throw new SettingsException(key, expected + "holds no private key, only certificates");
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
