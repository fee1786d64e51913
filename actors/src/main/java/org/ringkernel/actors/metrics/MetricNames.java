package org.ringkernel.actors.metrics;

/**
 * The runtime's metric names as Kamon knows them. Kamon's Prometheus reporter turns dots into underscores and
 * appends the unit and counter suffixes itself, so each constant's comment gives the name a scrape shows.
 */
public final class MetricNames {
    /** {@code ringkernel_requests_total{kernel,outcome}}: every answer a kernel gave, once. */
    public static final String REQUESTS = "ringkernel.requests";
    /** {@code ringkernel_request_duration_seconds{kernel,stage}}: stage queue, device or total. */
    public static final String REQUEST_DURATION = "ringkernel.request.duration";
    /**
     * {@code ringkernel_batch_size{kernel,stage}}: requests per batch, {@code stage} {@code publish} (per publish
     * to the ring) or {@code device} (per dequeue by the kernel).
     */
    public static final String BATCH_SIZE = "ringkernel.batch.size";
    /** {@code ringkernel_queue_depth{kernel}}: requests waiting for room in the ring. */
    public static final String QUEUE_DEPTH = "ringkernel.queue.depth";
    /** {@code ringkernel_inflight_requests{kernel}}: requests in the ring, published and not yet answered. */
    public static final String INFLIGHT = "ringkernel.inflight.requests";
    /** {@code ringkernel_ring_occupancy_ratio{kernel}}: in-flight requests over the ring slots of all instances. */
    public static final String RING_OCCUPANCY = "ringkernel.ring.occupancy.ratio";
    /** {@code ringkernel_kernel_restarts_total{kernel,reason}}: instances relaunched after a failure. */
    public static final String KERNEL_RESTARTS = "ringkernel.kernel.restarts";
    /** {@code ringkernel_device_restarts_total}: backends closed and opened again. */
    public static final String DEVICE_RESTARTS = "ringkernel.device.restarts";
    /**
     * {@code ringkernel_device_memory_bytes{scope,state}}: state used or total; scope kernels (what the backend
     * holds for kernels) or device (the whole device, where a driver reports it).
     */
    public static final String DEVICE_MEMORY = "ringkernel.device.memory";

    /** The tag naming the kernel. */
    public static final String KERNEL_TAG = "kernel";
    /** The tag of how a request was answered, an {@link Outcome} label. */
    public static final String OUTCOME_TAG = "outcome";
    /** The tag naming where a request's time went. */
    public static final String STAGE_TAG = "stage";
    /** The tag of why an instance restarted, a {@link RestartReason} label. */
    public static final String REASON_TAG = "reason";
    /** The tag of a device memory gauge: used or total. */
    public static final String STATE_TAG = "state";
    /** The tag of a device memory gauge: kernels or device. */
    public static final String SCOPE_TAG = "scope";

    private MetricNames() {
    }
}
