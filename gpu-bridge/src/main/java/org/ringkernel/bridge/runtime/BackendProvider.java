package org.ringkernel.bridge.runtime;

import java.util.Collection;
import org.ringkernel.bridge.kernel.KernelDefinition;

/**
 * The service-provider interface of one backend kind: whether it can run here, and opening it.
 * {@link org.ringkernel.bridge.Backends} selects among providers.
 */
public interface BackendProvider {

    /** The backend this provider opens. */
    BackendKind kind();

    /** Checks, without side effects beyond loading drivers, whether this backend can run with {@code settings}. */
    Availability probe(BridgeSettings settings);

    /**
     * Checks, as {@link #probe(BridgeSettings)} does, whether this backend can run {@code kernels} with
     * {@code settings}: the CUDA backend also checks that the driver can load their images.
     */
    default Availability probe(BridgeSettings settings, Collection<KernelDefinition> kernels) {
        return probe(settings);
    }

    /**
     * Opens the backend; called only after {@link #probe} said it is usable.
     *
     * @throws BackendUnavailableException when it cannot be opened after all
     */
    Backend open(BridgeSettings settings);
}
