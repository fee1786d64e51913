package org.ringkernel.server.config;

import com.typesafe.config.Config;
import org.ringkernel.actors.RingKernelSettings;
import org.ringkernel.actors.cluster.ClusterSettings;
import org.ringkernel.server.HttpSettings;
import org.ringkernel.server.TelemetrySettings;

/**
 * Every setting of the server, read and checked once at start-up by {@link ServerConfig#validate(Config)}.
 *
 * @param kernels the actor bridge's and device runtime's settings
 * @param http the HTTP server's settings
 * @param cluster the cluster's settings ({@code ringkernel.cluster}; off by default)
 * @param telemetry metrics and traces ({@code ringkernel.telemetry})
 * @param config the whole configuration, for the actor system
 */
public record ServerSettings(RingKernelSettings kernels, HttpSettings http, ClusterSettings cluster,
                             TelemetrySettings telemetry, Config config) {
}
