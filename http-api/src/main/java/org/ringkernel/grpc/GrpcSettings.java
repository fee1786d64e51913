package org.ringkernel.grpc;

import static org.ringkernel.bridge.runtime.SettingsReader.require;

import com.typesafe.config.Config;
import org.ringkernel.bridge.runtime.SettingsReader;

/**
 * The gRPC server's configuration, read once from {@code ringkernel.grpc}; every key is documented in this
 * module's {@code reference.conf}.
 *
 * @param enabled whether the server listens for gRPC at all
 * @param iface the interface to bind
 * @param port the port (0 for any free one)
 * @param maxMessageBytes the largest message a client may send; a larger one is answered RESOURCE_EXHAUSTED
 * @param reflection whether the server reflection service lists and describes the services
 */
public record GrpcSettings(boolean enabled, String iface, int port, int maxMessageBytes, boolean reflection) {

    /**
     * @param httpPort the HTTP server's port, which the gRPC port must not repeat
     * @throws org.ringkernel.bridge.runtime.SettingsException naming the first bad key and what was expected
     */
    public static GrpcSettings fromConfig(Config config, int httpPort) {
        SettingsReader read = new SettingsReader(config);
        String p = "ringkernel.grpc.";
        boolean enabled = read.bool(p + "enabled");
        String iface = read.string(p + "interface");
        require(!iface.isBlank(), p + "interface", "an interface address such as 0.0.0.0, got an empty value");
        int port = read.integer(p + "port", 0, 65535);
        require(!enabled || port == 0 || port != httpPort, p + "port",
                "a port other than ringkernel.http.port (" + httpPort + "): gRPC has a port of its own, got " + port);
        long maxBytes = read.bytes(p + "max-message-bytes");
        require(maxBytes >= 1024 && maxBytes <= Integer.MAX_VALUE, p + "max-message-bytes",
                "a size between 1 KiB and 2 GiB (a gRPC frame's length is 32 bits), got " + maxBytes);
        boolean reflection = read.bool(p + "reflection");
        return new GrpcSettings(enabled, iface, port, (int) maxBytes, reflection);
    }
}
