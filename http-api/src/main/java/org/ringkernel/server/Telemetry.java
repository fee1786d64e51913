package org.ringkernel.server;

import java.util.Optional;
import kamon.Kamon;
import org.ringkernel.actors.metrics.TelemetrySettings;
import org.ringkernel.http.HttpTracing;
import org.ringkernel.server.config.ServerSettings;

/**
 * The server's one place that sets Kamon up. With telemetry on, Kamon is initialised with the server's
 * configuration (its {@code kamon} section, where a user adds span reporters, and the server's 16-byte trace ids;
 * no agent, no instrumentation attached), a Prometheus reporter is registered for {@code GET /metrics}, and
 * requests are traced as {@link TelemetrySettings} says. With it off, Kamon is not started: nothing is recorded
 * and no span is built. Kamon is one per JVM, so every server in it shares that configuration.
 */
final class Telemetry implements AutoCloseable {
    private final Optional<PrometheusMetrics> metrics;
    private final HttpTracing tracing;

    private Telemetry(Optional<PrometheusMetrics> metrics, HttpTracing tracing) {
        this.metrics = metrics;
        this.tracing = tracing;
    }

    static Telemetry start(ServerSettings settings) {
        TelemetrySettings telemetry = settings.kernels().telemetry();
        if (!telemetry.enabled()) {
            return new Telemetry(Optional.empty(), HttpTracing.off());
        }
        Kamon.initWithoutAttaching(settings.config());
        return new Telemetry(Optional.of(PrometheusMetrics.register(settings.config())),
                new HttpTracing(true, telemetry.traceSampleRate()));
    }

    /** The Prometheus scrape, where metrics are on. */
    Optional<PrometheusMetrics> metrics() {
        return metrics;
    }

    HttpTracing tracing() {
        return tracing;
    }

    @Override
    public void close() {
        metrics.ifPresent(PrometheusMetrics::close);
    }
}
