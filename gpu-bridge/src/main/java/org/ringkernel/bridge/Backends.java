package org.ringkernel.bridge;

import java.util.Collection;
import java.util.List;
import org.ringkernel.bridge.cpu.CpuBackendProvider;
import org.ringkernel.bridge.cuda.CudaBackendProvider;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.runtime.Availability;
import org.ringkernel.bridge.runtime.Backend;
import org.ringkernel.bridge.runtime.BackendKind;
import org.ringkernel.bridge.runtime.BackendProvider;
import org.ringkernel.bridge.runtime.BackendSelection;
import org.ringkernel.bridge.runtime.BackendUnavailableException;
import org.ringkernel.bridge.runtime.BridgeSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses and opens the backend a configuration asks for: {@code cpu}, {@code cuda} (which fails with the
 * reason where CUDA cannot run), or {@code auto}, which takes CUDA when a device is usable and otherwise the
 * CPU, logging once why.
 */
public final class Backends {
    private static final Logger LOG = LoggerFactory.getLogger(Backends.class);

    private Backends() {
    }

    /** The built-in providers, most capable first. */
    public static List<BackendProvider> providers() {
        return List.of(new CudaBackendProvider(), new CpuBackendProvider());
    }

    /**
     * Opens the backend {@code settings} ask for among the built-in providers. Kernels it will run are best named
     * up front ({@link #open(BridgeSettings, Collection)}): on CUDA, a kernel first launched while a persistent
     * kernel runs is refused, since loading its code then could wait forever.
     */
    public static Backend open(BridgeSettings settings) {
        return open(settings, List.of());
    }

    /**
     * Opens the backend {@code settings} ask for among the built-in providers, one that can run {@code kernels},
     * and prepares it for one instance of each ({@link Backend#preload}).
     */
    public static Backend open(BridgeSettings settings, Collection<KernelDefinition> kernels) {
        BackendSelection selection = select(settings, providers(), kernels);
        if (selection.requested() == BackendKind.AUTO) {
            LOG.info("backend auto chose {}: {}", selection.chosen().configName(), selection.reason());
        }
        Backend backend = selection.provider().open(settings);
        try {
            backend.preload(kernels, 1);
            return backend;
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /**
     * Selects among {@code providers} (most capable first).
     *
     * @throws BackendUnavailableException when the requested kind is not usable here, with its reason
     */
    public static BackendSelection select(BridgeSettings settings, List<BackendProvider> providers) {
        return select(settings, providers, List.of());
    }

    /**
     * Selects among {@code providers} (most capable first) one that can run {@code kernels}.
     *
     * @throws BackendUnavailableException when the requested kind is not usable here, with its reason
     */
    public static BackendSelection select(BridgeSettings settings, List<BackendProvider> providers,
                                          Collection<KernelDefinition> kernels) {
        BackendKind requested = settings.backend();
        if (requested != BackendKind.AUTO) {
            BackendProvider provider = providers.stream().filter(p -> p.kind() == requested).findFirst()
                    .orElseThrow(() -> new BackendUnavailableException("backend '" + requested.configName()
                            + "' is not part of this build"));
            Availability availability = provider.probe(settings, kernels);
            if (!availability.usable()) {
                throw new BackendUnavailableException("backend '" + requested.configName()
                        + "' was requested (ringkernel.backend or RINGKERNEL_BACKEND) but cannot run here: "
                        + availability.reason() + "; use backend 'cpu', or 'auto' to fall back to the CPU");
            }
            return new BackendSelection(requested, provider, availability.reason());
        }
        StringBuilder passedOver = new StringBuilder();
        for (BackendProvider provider : providers) {
            Availability availability = provider.probe(settings, kernels);
            if (availability.usable()) {
                String reason = passedOver.length() == 0 ? availability.reason()
                        : passedOver + "; " + availability.reason();
                return new BackendSelection(requested, provider, reason);
            }
            if (passedOver.length() > 0) {
                passedOver.append("; ");
            }
            passedOver.append(provider.kind().configName()).append(" not usable: ").append(availability.reason());
        }
        throw new BackendUnavailableException("no backend can run here: " + passedOver);
    }
}
