package org.ringkernel.server;

import ch.qos.logback.classic.LoggerContext;
import com.typesafe.config.Config;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.actors.cluster.ClusterSystemConfig;
import org.ringkernel.bridge.runtime.BackendUnavailableException;
import org.ringkernel.grpc.GrpcServer;
import org.ringkernel.grpc.GrpcSettings;
import org.ringkernel.http.FormatUnavailableException;
import org.ringkernel.http.KernelRoutes;
import org.ringkernel.http.MetricsRoutes;
import org.ringkernel.server.config.LoggingSetup;
import org.ringkernel.server.config.ServerArgs;
import org.ringkernel.server.config.ServerConfig;
import org.ringkernel.server.config.ServerSettings;
import org.slf4j.LoggerFactory;

/**
 * The server: reads the configuration (failing with the key's path and exit code 2 on a bad value), starts
 * the kernels (joining the cluster where {@code ringkernel.cluster.enabled} is on) and the HTTP server, prints
 * where it listens, which backend runs and which cluster node it is, and shuts down gracefully on SIGTERM.
 *
 * <p>Usage: {@code java -jar http-api/target/ringkernel-server.jar [--config FILE.toml|FILE.conf]}
 */
public final class RingKernelServer {
    /** Exit code for a configuration or environment the server cannot start with. */
    public static final int BAD_CONFIGURATION = 2;
    /** Exit code for a server that could not bind its port. */
    public static final int CANNOT_LISTEN = 1;
    /**
     * Exit code for a server whose actor system stopped without a SIGTERM: the cluster downed this node (e.g. its
     * split-brain resolver) or made it leave. A supervisor should start it again; it then joins as a new node.
     */
    public static final int STOPPED_BY_CLUSTER = 3;
    /** The actor system's name, which every node of a cluster shares (it is part of each node's address). */
    public static final String SYSTEM_NAME = "ringkernel";
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);

    /** A started server: its actor system, its kernels and its ports (gRPC's where enabled). */
    public record Running(ActorSystem<Void> system, RingKernels kernels, HttpServer http, Optional<GrpcServer> grpc,
                          ServerSettings settings) {
        /** Where the main port listens. */
        public String url() {
            return http.url();
        }

        /** Where the management port (the probes) listens, when there is one. */
        public Optional<String> managementUrl() {
            return http.managementUrl();
        }

        /** Stops as SIGTERM does: no new connections, requests in flight finish, then everything stops. */
        public void stop() {
            system.terminate();
        }
    }

    private RingKernelServer() {
    }

    /** Starts the server; exits non-zero when it cannot start or stops on an error. */
    public static void main(String[] args) {
        int code = run(List.of(args), System.getenv(), Path.of("").toAbsolutePath(), System.out,
                RingKernelServer::exitWithStatus);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Makes the exit status say how the server stopped. On SIGTERM: 0 when every request in progress was answered
     * within the shutdown deadline, 1 when not. The JVM would exit 143 after its shutdown hooks, so a hook of our
     * own waits until coordinated shutdown (run by Pekko's hook) has stopped the actor system, flushes the log
     * and halts the JVM with that status. When the actor system stops without a SIGTERM (the cluster downed this
     * node, or made it leave), the process exits {@link #STOPPED_BY_CLUSTER} instead of lingering without it.
     */
    private static void exitWithStatus(Running running) {
        Duration patience = Duration.ofMillis(CoordinatedShutdown.get(running.system()).totalTimeout().toMillis())
                .plus(BIND_TIMEOUT);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            boolean inTime;
            try {
                running.system().getWhenTerminated().toCompletableFuture()
                        .get(patience.toMillis(), TimeUnit.MILLISECONDS);
                inTime = running.http().drainedInTime().toCompletableFuture().getNow(false);
            } catch (ExecutionException | TimeoutException e) {
                inTime = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                inTime = false;
            }
            int status = stoppedBySigterm(running) ? (inTime ? 0 : 1) : STOPPED_BY_CLUSTER;
            if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
                logback.stop();
            }
            Runtime.getRuntime().halt(status);
        }, "ringkernel-exit-status"));
        running.system().getWhenTerminated().thenRun(() -> {
            if (!stoppedBySigterm(running)) {
                LoggerFactory.getLogger(RingKernelServer.class).error("the actor system stopped ({}); the server exits "
                        + "with status {}", stopReason(running), STOPPED_BY_CLUSTER);
                // Not on the thread that completed the termination: exit waits for the shutdown hooks.
                new Thread(() -> System.exit(STOPPED_BY_CLUSTER), "ringkernel-exit").start();
            }
        });
    }

    private static boolean stoppedBySigterm(Running running) {
        return CoordinatedShutdown.get(running.system()).getShutdownReason()
                .filter(reason -> reason == CoordinatedShutdown.jvmExitReason()).isPresent();
    }

    private static String stopReason(Running running) {
        CoordinatedShutdown.Reason reason = CoordinatedShutdown.get(running.system()).getShutdownReason()
                .orElse(CoordinatedShutdown.unknownReason());
        if (reason == CoordinatedShutdown.clusterDowningReason()) {
            return "the cluster downed this node: its split-brain resolver, or an operator";
        }
        if (reason == CoordinatedShutdown.clusterLeavingReason()) {
            return "this node left the cluster";
        }
        return "reason " + reason;
    }

    /** Starts the server; returns 0 once it listens, or the exit code of what stopped it. */
    static int run(List<String> args, Map<String, String> env, Path workingDir, PrintStream out) {
        return run(args, env, workingDir, out, running -> { });
    }

    /** As {@link #run(List, Map, Path, PrintStream)}, handing the started server to {@code started}. */
    private static int run(List<String> args, Map<String, String> env, Path workingDir, PrintStream out,
                           Consumer<Running> started) {
        ServerSettings settings;
        try {
            ServerArgs parsed = ServerArgs.parse(args);
            if (parsed.help()) {
                out.println(ServerArgs.usage());
                return 0;
            }
            Config config = ServerConfig.load(parsed, env, workingDir);
            // Logging is set up before validation loads classes that hold loggers; logback reads it once.
            LoggingSetup.apply(config, workingDir);
            LoggerFactory.getILoggerFactory();
            settings = ServerConfig.validate(config);
        } catch (IllegalArgumentException e) {
            // Settings, configuration files and arguments all report what is wrong as this exception.
            out.println("configuration error: " + e.getMessage());
            return BAD_CONFIGURATION;
        }
        try {
            Running running = start(settings);
            out.println("ringkernel listening on " + running.url()
                    + running.managementUrl().map(url -> ", probes on " + url).orElse("")
                    + " (backend " + running.kernels().backend()
                    + running.kernels().cluster().map(cluster -> ", cluster node " + cluster.node() + " with roles "
                            + String.join(",", settings.cluster().roles())).orElse("") + ")");
            running.grpc().ifPresent(grpc -> out.println("ringkernel gRPC listening on " + grpc.address() + " ("
                    + grpc.description() + ")"));
            started.accept(running);
            return 0;
        } catch (BackendUnavailableException | FormatUnavailableException e) {
            out.println("cannot start: " + e.getMessage());
            return BAD_CONFIGURATION;
        } catch (CannotListenException e) {
            out.println(e.getMessage());
            return CANNOT_LISTEN;
        }
    }

    /**
     * Starts the kernels and binds the HTTP server.
     *
     * @throws BackendUnavailableException when the configured backend cannot run here
     * @throws CannotListenException when the port cannot be bound
     */
    public static Running start(ServerSettings settings) {
        // Pekko reads its provider and remoting address as the system starts: with clustering on they are set here.
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), SYSTEM_NAME,
                ClusterSystemConfig.apply(HttpServer.withShutdownPhases(settings.config(), settings.http())));
        try {
            // Before the kernels start: their instruments take Kamon's settings (the custom buckets) when created.
            Telemetry telemetry = Telemetry.start(settings);
            system.getWhenTerminated().thenRun(telemetry::close);
            RingKernels kernels = RingKernels.get(system);
            ServerConnections connections = new ServerConnections();
            KernelRoutes routes = new KernelRoutes(kernels, settings.http(), connections, telemetry.tracing(),
                    new MetricsRoutes(telemetry.metrics().map(started -> started::scrape)));
            // After the kernels have stopped, so no request of a format still holds its memory.
            system.getWhenTerminated().thenRun(routes::close);
            HttpServer http = bound(HttpServer.start(system, routes.route(), routes.probes(), connections,
                    routes::shuttingDown, settings.http()), "", settings.http().iface(), settings.http().port());
            GrpcSettings grpc = settings.grpc();
            Optional<GrpcServer> grpcServer = grpc.enabled()
                    ? Optional.of(bound(GrpcServer.start(system, kernels, connections, grpc,
                            settings.http().shutdownDeadline()), "gRPC", grpc.iface(), grpc.port()))
                    : Optional.empty();
            return new Running(system, kernels, http, grpcServer, settings);
        } catch (InterruptedException e) {
            system.terminate();
            Thread.currentThread().interrupt();
            throw new CannotListenException("interrupted while binding", e);
        } catch (RuntimeException e) {
            system.terminate();
            throw e;
        }
    }

    /** The bound server, or {@link CannotListenException} naming what (empty for HTTP) could not be bound. */
    private static <T> T bound(CompletionStage<T> binding, String what, String iface, int port)
            throws InterruptedException {
        try {
            return binding.toCompletableFuture().get(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new CannotListenException("cannot listen" + (what.isEmpty() ? "" : " for " + what) + " on " + iface + ":" + port + ": "
                    + cause.getMessage(), cause);
        }
    }

    /** The server could not bind its interface and port. */
    public static final class CannotListenException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CannotListenException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
