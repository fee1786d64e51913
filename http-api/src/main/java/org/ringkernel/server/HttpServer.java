package org.ringkernel.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.ServerBuilder;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.pattern.Patterns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening ports: the main port with every route, over HTTPS when a keystore is configured, and the
 * management port with the probes. Every connection passes a {@link ConnectionGuard}. On SIGTERM (coordinated
 * shutdown) the main port stops accepting at once and drains: requests in progress are answered in full within
 * the shutdown deadline, with {@code Connection: close}; requests arriving meanwhile get 503; idle connections
 * are closed once nothing is in progress. The management port keeps answering the probes until the drain has
 * ended. One log line says how the drain went; {@link #drainedInTime()} tells the main whether it may exit 0.
 */
public final class HttpServer {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    private static final Duration FLUSH_GRACE = Duration.ofMillis(300);
    private static final Duration PHASE_MARGIN = Duration.ofSeconds(2);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(1);
    /** How much longer than the shutdown deadline the shutdown phase that drains may take. */
    static final Duration SHUTDOWN_OVERHEAD = CLOSE_GRACE.plus(PHASE_MARGIN);

    private final ActorSystem<?> system;
    private final HttpSettings settings;
    private final ServerBinding binding;
    private final Optional<ServerBinding> management;
    private final CompletableFuture<Boolean> drainedInTime = new CompletableFuture<>();

    private HttpServer(ActorSystem<?> system, HttpSettings settings, ServerBinding binding,
                       Optional<ServerBinding> management) {
        this.system = system;
        this.settings = settings;
        this.binding = binding;
        this.management = management;
    }

    /**
     * Binds the ports and ties them to coordinated shutdown.
     *
     * @param connections the main port's connections, whose {@code Draining} the routes were given
     * @param refusal what a request arriving during the drain is answered
     */
    static CompletionStage<HttpServer> start(ActorSystem<?> system, Route routes, Route probes,
                                                    ServerConnections connections, Supplier<HttpResponse> refusal,
                                                    HttpSettings settings) {
        ServerBuilder main = Http.get(system).newServerAt(settings.iface(), settings.port());
        if (settings.tls().isPresent()) {
            main = main.enableHttps(ConnectionContext.httpsServer(sslContext(settings.tls().get())));
        }
        CompletionStage<ServerBinding> mainBound = bind(system, main, routes, connections, settings.connections(),
                refusal);
        ServerConnections probeConnections = new ServerConnections();
        CompletionStage<Optional<ServerBinding>> managementBound = settings.management()
                .map(m -> bind(system, Http.get(system).newServerAt(m.iface(), m.port()), probes, probeConnections,
                        m.connections(), refusal).thenApply(Optional::of))
                .orElse(CompletableFuture.completedFuture(Optional.empty()));
        return mainBound.thenCombine(managementBound, (bound, managed) -> {
            HttpServer server = new HttpServer(system, settings, bound, managed);
            server.addToCoordinatedShutdown(connections, probeConnections);
            return server;
        });
    }

    private static CompletionStage<ServerBinding> bind(ActorSystem<?> system, ServerBuilder builder, Route route,
                                                       ServerConnections connections,
                                                       HttpSettings.ConnectionSettings limits,
                                                       Supplier<HttpResponse> refusal) {
        // The listen backlog holds as many connections as may be served: a burst of new connections waits there
        // instead of being dropped and retried by the clients' kernels seconds later.
        ServerSettings server = ServerSettings.create(system.classicSystem()).withMaxConnections(limits.maxConnections())
                .withBacklog(limits.maxConnections());
        return builder.withSettings(server)
                .bindFlow(ConnectionGuard.layer(connections, limits, refusal).join(route.flow(system)));
    }

    private void addToCoordinatedShutdown(ServerConnections connections, ServerConnections probeConnections) {
        CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
        // The drain begins with the first phase that concerns the server, so that every response from then on
        // closes its connection; the next phase waits for it.
        CompletableFuture<ServerConnections.DrainStart> drainStart = new CompletableFuture<>();
        shutdown.addTask(CoordinatedShutdown.PhaseServiceUnbind(), "ringkernel-stop-accepting", () -> {
            drainStart.complete(connections.startDrain());
            return binding.unbind();
        });
        shutdown.addTask(CoordinatedShutdown.PhaseServiceRequestsDone(), "ringkernel-drain",
                () -> drain(connections, drainStart.join(), shutdown.getShutdownReason()));
        shutdown.addTask(CoordinatedShutdown.PhaseServiceStop(), "ringkernel-close-probes", () -> {
            probeConnections.startDrain();
            CompletionStage<Done> closed = within(probeConnections.closeIdle(), CLOSE_GRACE);
            return closed.thenCompose(done -> management.map(m -> m.terminate(CLOSE_GRACE).thenApply(t -> done))
                    .orElse(CompletableFuture.completedFuture(done)));
        });
        // Connections still open after the drain (it ran out of time) are cut; then the responses just handed to
        // connections get a moment to leave before the actor system stops.
        shutdown.addTask(CoordinatedShutdown.PhaseServiceStop(), "ringkernel-close-connections", () ->
                binding.terminate(CLOSE_GRACE).thenCompose(terminated -> Patterns.after(FLUSH_GRACE,
                        system.classicSystem().scheduler(), system.executionContext(),
                        () -> CompletableFuture.completedFuture(Done.getInstance()))));
    }

    private CompletionStage<Done> drain(ServerConnections connections, ServerConnections.DrainStart start,
                                        Optional<CoordinatedShutdown.Reason> reason) {
        Duration deadline = settings.shutdownDeadline().minusNanos(System.nanoTime() - start.nanos());
        return within(connections.drained(), deadline).thenCompose(drained -> {
            long drainNanos = System.nanoTime() - start.nanos();
            boolean inTime = connections.drained().toCompletableFuture().isDone();
            return within(connections.closeIdle(), CLOSE_GRACE).thenApply(closed -> {
                log(reason, start, connections.refused(), inTime, drainNanos);
                drainedInTime.complete(inTime);
                return Done.getInstance();
            });
        });
    }

    private void log(Optional<CoordinatedShutdown.Reason> reason, ServerConnections.DrainStart start, long refused,
                     boolean inTime, long drainNanos) {
        String why = reason.map(HttpServer::describe).orElse("request");
        String outcome = inTime ? String.format(Locale.ROOT, "all answered within %.0f ms", drainNanos / 1e6)
                : "the shutdown deadline of " + settings.shutdownDeadline().toMillis()
                + " ms (ringkernel.http.shutdown-deadline) passed first and their connections were cut";
        String line = String.format(Locale.ROOT, "shutdown on %s: stopped accepting connections; %d requests in"
                + " progress on %d connections, %s; %d requests arriving meanwhile were answered 503", why,
                start.requests(), start.connections(), outcome, refused);
        if (inTime) {
            LOG.info(line);
        } else {
            LOG.warn(line);
        }
    }

    private static String describe(CoordinatedShutdown.Reason reason) {
        if (reason == CoordinatedShutdown.jvmExitReason()) {
            return "SIGTERM";
        }
        if (reason == CoordinatedShutdown.clusterDowningReason()) {
            return "being downed by the cluster";
        }
        return reason == CoordinatedShutdown.clusterLeavingReason() ? "leaving the cluster" : "request";
    }

    /** {@code stage}, or done after {@code limit} if it has not completed by then. */
    private static CompletionStage<Done> within(CompletionStage<Done> stage, Duration limit) {
        return stage.toCompletableFuture().copy().completeOnTimeout(Done.getInstance(), limit.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    /**
     * The configuration the server's actor system runs with: the shutdown phase that drains requests in flight
     * gets the whole shutdown deadline (Pekko's default phase timeout is shorter).
     */
    public static Config withShutdownPhases(Config config, HttpSettings settings) {
        Duration phase = settings.shutdownDeadline().plus(SHUTDOWN_OVERHEAD);
        return config.withValue("pekko.coordinated-shutdown.phases.service-requests-done.timeout",
                ConfigValueFactory.fromAnyRef(phase.toMillis() + " ms"));
    }

    /** Completes when a shutdown's drain ended: true when every request in progress was answered in time. */
    public CompletionStage<Boolean> drainedInTime() {
        return drainedInTime;
    }

    /** Where the main port listens, as a URL: the configured interface and the bound port. */
    public String url() {
        String scheme = settings.tls().isPresent() ? "https" : "http";
        return scheme + "://" + settings.iface() + ":" + binding.localAddress().getPort();
    }

    /** Where the management port listens, when there is one. */
    public Optional<String> managementUrl() {
        return management.map(m -> "http://" + settings.management().orElseThrow().iface() + ":"
                + m.localAddress().getPort());
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
}
