package org.ringkernel.inference;

import java.util.List;
import java.util.Objects;

/**
 * The server as the protocol describes it.
 *
 * @param name {@value #NAME}
 * @param version the server's version: the jar's {@code Implementation-Version}, {@value #UNPACKAGED_VERSION} when
 *     run from classes
 * @param extensions the protocol's extensions the server serves: none of those it names (binary tensor data,
 *     model repository, statistics, …)
 */
public record ServerMetadata(String name, String version, List<String> extensions) {
    /** The server's name. */
    public static final String NAME = "ringkernel";
    /** The version of a server run from its classes rather than its jar, which has no manifest to say. */
    static final String UNPACKAGED_VERSION = "0.1.0";

    /** Checks the metadata; the extensions are copied. */
    public ServerMetadata {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        extensions = List.copyOf(extensions);
    }

    /** This server's metadata. */
    public static ServerMetadata current() {
        return new ServerMetadata(NAME, version(ServerMetadata.class.getPackage().getImplementationVersion()),
                List.of());
    }

    static String version(String implementationVersion) {
        return implementationVersion == null || implementationVersion.isBlank() ? UNPACKAGED_VERSION
                : implementationVersion;
    }
}
