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
    private final Gauge kernelsUsed = memory("kernels", "used");
    private final Gauge kernelsTotal = memory("kernels", "total");
    // Only where a driver reports the whole device: a CPU backend shows no device series rather than zeros.
    private Gauge deviceUsed;
    private Gauge deviceTotal;

    private static Gauge memory(String scope, String state) {
        return Kamon.gauge(MetricNames.DEVICE_MEMORY, "Memory held (used) of what there is (total): by the kernels "
                + "(scope kernels), and on the whole device as its driver reports it (scope device)",
                MeasurementUnit.information().bytes()).withTag(MetricNames.SCOPE_TAG, scope)
                .withTag(MetricNames.STATE_TAG, state);
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
        kernelsUsed.update(memory.kernels().usedBytes());
        kernelsTotal.update(memory.kernels().totalBytes());
        memory.device().ifPresent(device -> {
            if (deviceUsed == null) {
                deviceUsed = memory("device", "used");
                deviceTotal = memory("device", "total");
            }
            deviceUsed.update(device.usedBytes());
            deviceTotal.update(device.totalBytes());
        });
    }

    @Override
    public boolean enabled() {
        return true;
    }
}
