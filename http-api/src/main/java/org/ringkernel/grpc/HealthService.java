package org.ringkernel.grpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;
import org.ringkernel.actors.KernelInfo;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.grpc.health.Health;
import org.ringkernel.grpc.health.HealthCheckRequest;
import org.ringkernel.grpc.health.HealthCheckResponse;
import org.ringkernel.grpc.health.HealthCheckResponse.ServingStatus;
import org.ringkernel.grpc.inference.GRPCInferenceService;
import org.ringkernel.http.Draining;

/**
 * The standard gRPC health service. The services it knows: {@code ""} (the whole server) and
 * {@code inference.GRPCInferenceService}, SERVING when the server is ready (every kernel active, as {@code /ready}
 * says); and each kernel id, SERVING while the kernel has an active instance. Everything is NOT_SERVING once the
 * server shuts down.
 */
final class HealthService implements Health {
    /** How often a watch looks again; it sends only changes. */
    static final Duration WATCH_INTERVAL = Duration.ofMillis(200);

    private final RingKernels kernels;
    private final Draining draining;

    HealthService(RingKernels kernels, Draining draining) {
        this.kernels = kernels;
        this.draining = draining;
    }

    @Override
    public CompletionStage<HealthCheckResponse> check(HealthCheckRequest in) {
        Optional<ServingStatus> status = status(in.getService());
        if (status.isEmpty()) {
            return CompletableFuture.failedFuture(GrpcErrors.notFound("unknown service '" + in.getService()
                    + "'; this server answers for \"\", " + GRPCInferenceService.name + " and each kernel id"));
        }
        return CompletableFuture.completedFuture(response(status.get()));
    }

    @Override
    public Source<HealthCheckResponse, NotUsed> watch(HealthCheckRequest in) {
        return Source.tick(Duration.ZERO, WATCH_INTERVAL, in.getService())
                .map(service -> status(service).orElse(ServingStatus.SERVICE_UNKNOWN))
                .statefulMapConcat(() -> {
                    List<ServingStatus> last = new ArrayList<>(List.of(ServingStatus.UNKNOWN));
                    return status -> {
                        if (status == last.get(0)) {
                            return List.of();
                        }
                        last.set(0, status);
                        return List.of(response(status));
                    };
                })
                .mapMaterializedValue(tick -> NotUsed.getInstance());
    }

    private Optional<ServingStatus> status(String service) {
        if (service.isEmpty() || service.equals(GRPCInferenceService.name)) {
            return Optional.of(serving(kernels.readiness().ready()));
        }
        return kernels.kernels().stream().filter(kernel -> kernel.id().equals(service)).findFirst()
                .map(KernelInfo::available).map(this::serving);
    }

    private ServingStatus serving(boolean ready) {
        return ready && !draining.draining() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    }

    private static HealthCheckResponse response(ServingStatus status) {
        return HealthCheckResponse.newBuilder().setStatus(status).build();
    }
}
