package org.ringkernel.actors.metrics;

import org.ringkernel.bridge.runtime.DeviceMemory;

/** Records nothing: telemetry is off. */
enum DisabledMetrics implements RuntimeMetrics, KernelMetrics, InstanceGauges {
    INSTANCE;

    @Override
    public KernelMetrics kernel(String kernelId, int ringSlots) {
        return this;
    }

    @Override
    public void deviceRestarted() {
    }

    @Override
    public void deviceMemory(DeviceMemory memory) {
    }

    @Override
    public boolean enabled() {
        return false;
    }

    @Override
    public void answered(Outcome outcome, int count) {
    }

    @Override
    public void queued(long nanos) {
    }

    @Override
    public void completed(long deviceNanos, long totalNanos) {
    }

    @Override
    public void published(int requests) {
    }

    @Override
    public void dequeued(int requests) {
    }

    @Override
    public void restarted(RestartReason reason) {
    }

    @Override
    public InstanceGauges instanceGauges() {
        return this;
    }

    @Override
    public void update(int waiting, int inFlight) {
    }
}
