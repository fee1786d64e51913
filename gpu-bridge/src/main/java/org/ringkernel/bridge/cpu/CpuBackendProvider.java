package org.ringkernel.bridge.cpu;

import org.ringkernel.bridge.clock.HybridLogicalClock;
import org.ringkernel.bridge.runtime.Availability;
import org.ringkernel.bridge.runtime.Backend;
import org.ringkernel.bridge.runtime.BackendKind;
import org.ringkernel.bridge.runtime.BackendProvider;
import org.ringkernel.bridge.runtime.BridgeSettings;

/** Provides the {@link CpuBackend}, which runs wherever Java runs. */
public final class CpuBackendProvider implements BackendProvider {

    @Override
    public BackendKind kind() {
        return BackendKind.CPU;
    }

    @Override
    public Availability probe(BridgeSettings settings) {
        return Availability.usable("the CPU backend runs every kernel on "
                + Runtime.getRuntime().availableProcessors() + " cores");
    }

    @Override
    public Backend open(BridgeSettings settings) {
        return new CpuBackend(HybridLogicalClock.system(), settings.terminateTimeout());
    }
}
