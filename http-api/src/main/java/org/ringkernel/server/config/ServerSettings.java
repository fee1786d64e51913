package org.ringkernel.server.config;

import com.typesafe.config.Config;
import org.ringkernel.actors.RingKernelSettings;
import org.ringkernel.actors.cluster.ClusterSettings;
import org.ringkernel.grpc.GrpcSettings;
import org.ringkernel.server.HttpSettings;

/**
 * Every setting of the server, read and checked once at start-up by {@link ServerConfig#validate(Config)}.
 *
 * @param kernels the actor bridge's and device runtime's settings
 * @param http the HTTP server's settings
 * @param grpc the gRPC server's settings
 * @param cluster the cluster's settings ({@code ringkernel.cluster}; off by default)
 * @param config the whole configuration, for the actor system
 */
public record ServerSettings(RingKernelSettings kernels, HttpSettings http, GrpcSettings grpc,
                             ClusterSettings cluster, Config config) {
}
