package org.ringkernel.server;

import kamon.Kamon;
import org.ringkernel.http.HttpTracing;
import org.ringkernel.server.config.ServerSettings;

/**
 * The server's one place that sets Kamon up: with telemetry on, Kamon is initialised with the server's configuration (its
 * {@code kamon} section, where a user adds span reporters, and the server's 16-byte trace ids), and requests are
 * traced as {@link TelemetrySettings} says. Kamon is one per JVM, so every server in it shares that configuration.
 */
final class Telemetry {
    private final HttpTracing tracing;

    private Telemetry(HttpTracing tracing) {
        this.tracing = tracing;
    }

    static Telemetry start(ServerSettings settings) {
        TelemetrySettings telemetry = settings.telemetry();
        if (!telemetry.enabled()) {
            return new Telemetry(HttpTracing.off());
        }
        // Kamon builds no spans until it is initialised; there is no instrumentation to attach.
        Kamon.initWithoutAttaching(settings.config());
        return new Telemetry(new HttpTracing(true, telemetry.traceSampleRate()));
    }

    HttpTracing tracing() {
        return tracing;
    }
}
