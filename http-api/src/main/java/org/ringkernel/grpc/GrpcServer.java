package org.ringkernel.grpc;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.grpc.javadsl.ServerReflection;
import org.apache.pekko.grpc.javadsl.ServiceHandler;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.japi.function.Function;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.grpc.health.Health;
import org.ringkernel.grpc.health.HealthHandlerFactory;
import org.ringkernel.grpc.inference.GRPCInferenceService;
import org.ringkernel.grpc.inference.GRPCInferenceServicePowerApiHandlerFactory;
import org.ringkernel.http.Draining;
import org.ringkernel.inference.InferenceModels;

/**
 * The gRPC port: {@link InferenceService}, {@link HealthService} and (when enabled) server reflection, served by
 * Pekko HTTP over plaintext HTTP/2 (h2c, which gRPC clients speak with prior knowledge). It shuts down with the HTTP
 * server: in the same coordinated-shutdown phase it stops accepting connections, and while the HTTP server drains,
 * calls in progress get the same shutdown deadline to finish (their connections are told GOAWAY, so that clients
 * open no new calls on them).
 */
public final class GrpcServer {
    private final GrpcSettings settings;
    private final ServerBinding binding;

    private GrpcServer(GrpcSettings settings, ServerBinding binding) {
        this.settings = settings;
        this.binding = binding;
    }

    /**
     * Binds the port and ties it to coordinated shutdown.
     *
     * @param draining whether the server is shutting down
     * @param shutdownDeadline how long calls in progress get at shutdown ({@code ringkernel.http.shutdown-deadline})
     */
    @SuppressWarnings("unchecked") // the handlers go to a Scala varargs method, which cannot promise type safety
    public static CompletionStage<GrpcServer> start(ActorSystem<?> system, RingKernels kernels, Draining draining,
                                                    GrpcSettings settings, Duration shutdownDeadline) {
        Function<HttpRequest, CompletionStage<HttpResponse>> inference =
                GRPCInferenceServicePowerApiHandlerFactory.create(
                        new InferenceService(new InferenceModels(kernels), kernels.settings(), draining), system);
        Function<HttpRequest, CompletionStage<HttpResponse>> health =
                HealthHandlerFactory.create(new HealthService(kernels, draining), system);
        Function<HttpRequest, CompletionStage<HttpResponse>> services = settings.reflection()
                ? ServiceHandler.concatOrNotFound(inference, health, ServerReflection.create(
                        List.of(GRPCInferenceService.description, Health.description), system))
                : ServiceHandler.concatOrNotFound(inference, health);
        Function<HttpRequest, CompletionStage<HttpResponse>> handler =
                MessageSizeLimit.apply(services, settings.maxMessageBytes());
        // HTTP/2 for this port alone: the main port keeps serving HTTP/1.1 as configured.
        ServerSettings http2 = ServerSettings.create(ConfigFactory.parseString("pekko.http.server.enable-http2 = on")
                .withFallback(system.settings().config()));
        return Http.get(system).newServerAt(settings.iface(), settings.port()).withSettings(http2).bind(handler)
                .thenApply(binding -> {
                    GrpcServer server = new GrpcServer(settings, binding);
                    server.addToCoordinatedShutdown(system, shutdownDeadline);
                    return server;
                });
    }

    private void addToCoordinatedShutdown(ActorSystem<?> system, Duration shutdownDeadline) {
        CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
        shutdown.addTask(CoordinatedShutdown.PhaseServiceUnbind(), "ringkernel-grpc-stop-accepting",
                binding::unbind);
        shutdown.addTask(CoordinatedShutdown.PhaseServiceRequestsDone(), "ringkernel-grpc-drain",
                () -> binding.terminate(shutdownDeadline).thenApply(terminated -> Done.getInstance()));
    }

    /** Where the port listens: the configured interface and the bound port. */
    public String address() {
        return settings.iface() + ":" + port();
    }

    /** The bound port. */
    public int port() {
        return binding.localAddress().getPort();
    }

    /** What the port serves, for the start-up line. */
    public String description() {
        return "Open Inference Protocol v2 and health, plaintext HTTP/2" + (settings.reflection()
                ? ", reflection on" : "");
    }
}
