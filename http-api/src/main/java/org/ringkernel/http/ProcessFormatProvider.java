package org.ringkernel.http;

import org.ringkernel.actors.RingKernels;
import org.ringkernel.server.HttpSettings;

/**
 * Makes a {@link ProcessFormat}; found with {@link java.util.ServiceLoader} (a line naming the class in
 * {@code META-INF/services/org.ringkernel.http.ProcessFormatProvider}), so a format is built into the server by
 * being on its class path. An implementation has a public constructor without arguments.
 */
public interface ProcessFormatProvider {

    /**
     * A format serving the kernels of {@code kernels}.
     *
     * @param settings the HTTP settings, whose limits ({@code max-elements-per-input}, {@code max-request-bytes})
     *     the format keeps to
     * @throws FormatUnavailableException when the format cannot work in this JVM, so that the server does not
     *     start rather than fail its requests
     */
    ProcessFormat create(RingKernels kernels, HttpSettings settings);
}
