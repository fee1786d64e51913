package org.ringkernel.actors.metrics;

import kamon.Kamon;
import kamon.metric.Counter;
import kamon.metric.Gauge;
import kamon.metric.MeasurementUnit;
import org.ringkernel.bridge.runtime.DeviceMemory;

/** Records into Kamon's registry; whoever initialised Kamon decides where it is reported. */
final class KamonRuntimeMetrics implements RuntimeMetrics {
    private final Counter deviceRestarts = Kamon.counter(MetricNames.DEVICE_RESTARTS,
            "Times the device was closed and opened again").withoutTags();
    private final Gauge memoryUsed = memory("used");
    private final Gauge memoryTotal = memory("total");

    private static Gauge memory(String state) {
        return Kamon.gauge(MetricNames.DEVICE_MEMORY, "Device memory held by kernels (used) and what it can hold (total)",
                MeasurementUnit.information().bytes()).withTag(MetricNames.STATE_TAG, state);
    }

    @Override
    public KernelMetrics kernel(String kernelId, int ringSlots) {
        return new KamonKernelMetrics(kernelId, ringSlots);
    }

    @Override
    public void deviceRestarted() {
        deviceRestarts.increment();
    }

    @Override
    public void deviceMemory(DeviceMemory memory) {
        memoryUsed.update(memory.usedBytes());
        memoryTotal.update(memory.totalBytes());
    }

    @Override
    public boolean enabled() {
        return true;
    }
}
