package org.ringkernel.server;

import com.typesafe.config.Config;
import java.util.UUID;
import kamon.Kamon;
import kamon.module.Module;
import kamon.prometheus.PrometheusReporter;

/**
 * A Prometheus reporter registered with Kamon, whose scrape the server's own {@code GET /metrics} serves; the reporter's embedded HTTP server stays off
 * ({@code kamon.prometheus.start-embedded-http-server = no} in this module's reference.conf). The reporter
 * renders what Kamon hands it each {@code kamon.metric.tick-interval}.
 */
final class PrometheusMetrics implements AutoCloseable {
    private final PrometheusReporter reporter;
    private final Module.Registration registration;

    private PrometheusMetrics(PrometheusReporter reporter, Module.Registration registration) {
        this.reporter = reporter;
        this.registration = registration;
    }

    /** Registers a reporter with Kamon, which {@link Telemetry} started. */
    static PrometheusMetrics register(Config config) {
        PrometheusReporter reporter = new PrometheusReporter(PrometheusReporter.DefaultConfigPath(), config);
        // Kamon is one per JVM and refuses a second module of a name: servers sharing a JVM (tests, an embedding
        // application) each register their own reporter under a name of its own.
        String name = "ringkernel-prometheus-" + UUID.randomUUID();
        return new PrometheusMetrics(reporter, Kamon.addReporter(name, reporter));
    }

    /** The latest snapshot in the Prometheus text format. */
    String scrape() {
        return reporter.scrapeData();
    }

    @Override
    public void close() {
        registration.cancel();
    }
}
