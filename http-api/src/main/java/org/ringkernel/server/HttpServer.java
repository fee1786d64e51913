package org.ringkernel.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.ServerBuilder;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.pattern.Patterns;

/**
 * Binds the routes, over HTTPS when a keystore is configured, and ties the binding to coordinated
 * shutdown: on SIGTERM the server stops accepting at once, lets requests in flight finish within the
 * shutdown deadline, then closes.
 */
public final class HttpServer {
    private static final Duration FLUSH_GRACE = Duration.ofMillis(300);
    static final Duration PHASE_MARGIN = Duration.ofSeconds(2);

    private HttpServer() {
    }

    public static CompletionStage<ServerBinding> start(ActorSystem<?> system, Route route, HttpSettings settings) {
        ServerBuilder builder = Http.get(system).newServerAt(settings.iface(), settings.port());
        if (settings.tls().isPresent()) {
            builder = builder.enableHttps(ConnectionContext.httpsServer(sslContext(settings.tls().get())));
        }
        return builder.bind(route).thenApply(binding -> {
            binding.addToCoordinatedShutdown(settings.shutdownDeadline(), system);
            // The requests-done phase ends when the last response is handed to the connection, not when its
            // bytes are written; a short pause before the system stops lets those bytes leave.
            CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "ringkernel-flush-responses",
                    () -> Patterns.after(FLUSH_GRACE, system.classicSystem().scheduler(), system.executionContext(),
                            () -> CompletableFuture.completedFuture(Done.getInstance())));
            return binding;
        });
    }

    /**
     * The configuration the server's actor system runs with: the shutdown phase that waits for requests in
     * flight gets the whole shutdown deadline (Pekko's default phase timeout is shorter).
     */
    public static Config withShutdownPhases(Config config, HttpSettings settings) {
        Duration phase = settings.shutdownDeadline().plus(PHASE_MARGIN);
        return config.withValue("pekko.coordinated-shutdown.phases.service-requests-done.timeout",
                ConfigValueFactory.fromAnyRef(phase.toMillis() + " ms"));
    }

    /**
     * @throws IllegalArgumentException naming the keystore when its key cannot serve TLS
     */
    static SSLContext sslContext(HttpSettings.TlsSettings tls) {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(tls.keys(), tls.password().toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("ringkernel.http.tls.keystore: cannot use '" + tls.keystore()
                    + "' as a PKCS12 keystore: " + e.getMessage(), e);
        }
    }

    /** Where a binding listens, as a URL: the configured interface and the bound port. */
    public static String url(ServerBinding binding, HttpSettings settings) {
        String scheme = settings.tls().isPresent() ? "https" : "http";
        return scheme + "://" + settings.iface() + ":" + binding.localAddress().getPort();
    }
}
