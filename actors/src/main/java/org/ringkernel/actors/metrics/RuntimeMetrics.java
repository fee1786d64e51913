package org.ringkernel.actors.metrics;

import org.ringkernel.bridge.runtime.DeviceMemory;

/** The runtime's recorder: per-kernel instruments and the device's own. */
public interface RuntimeMetrics {

    /** The instruments of {@code kernelId}, whose instances hold {@code ringSlots} ring slots together. */
    KernelMetrics kernel(String kernelId, int ringSlots);

    /** The device was restarted. */
    void deviceRestarted();

    /** The device's memory now. */
    void deviceMemory(DeviceMemory memory);

    /** Whether anything is recorded; when not, callers may skip work done only to record. */
    boolean enabled();

    /** Kamon's recorder when {@code settings} enable telemetry, else one that does nothing. */
    static RuntimeMetrics of(TelemetrySettings settings) {
        return settings.enabled() ? new KamonRuntimeMetrics() : DisabledMetrics.INSTANCE;
    }
}
