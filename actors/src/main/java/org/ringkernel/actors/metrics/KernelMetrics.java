package org.ringkernel.actors.metrics;

/** What one kernel records; shared by its instances, each keeping its own {@link InstanceGauges}. */
public interface KernelMetrics {

    /** {@code count} requests were answered with {@code outcome}. */
    void answered(Outcome outcome, int count);

    /** A request waited {@code nanos} from being accepted until it was published to the ring. */
    void queued(long nanos);

    /** A request completed {@code deviceNanos} after it was published and {@code totalNanos} after it was accepted. */
    void completed(long deviceNanos, long totalNanos);

    /** One publish carried {@code requests} requests to the ring. */
    void published(int requests);

    /** The kernel took {@code requests} requests from its ring in one dequeue. */
    void dequeued(int requests);

    /** An instance was relaunched. */
    void restarted(RestartReason reason);

    /** Gauges for one instance, which adds its share to the kernel's. */
    InstanceGauges instanceGauges();
}
