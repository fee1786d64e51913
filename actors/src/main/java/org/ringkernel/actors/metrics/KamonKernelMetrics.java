package org.ringkernel.actors.metrics;

import java.util.concurrent.atomic.AtomicInteger;
import kamon.Kamon;
import kamon.metric.Counter;
import kamon.metric.Gauge;
import kamon.metric.Histogram;
import kamon.metric.MeasurementUnit;
import kamon.tag.TagSet;

/** One kernel's Kamon instruments, looked up once; recording is an add to instruments already found. */
final class KamonKernelMetrics implements KernelMetrics {
    private final TagSet kernel;
    private final int ringSlots;
    private final Counter[] answers = new Counter[Outcome.values().length];
    private final Counter[] restarts = new Counter[RestartReason.values().length];
    private final Histogram queue;
    private final Histogram device;
    private final Histogram total;
    private final Histogram publishBatch;
    private final Histogram deviceBatch;
    private final Gauge queueDepth;
    private final Gauge inFlight;
    private final Gauge occupancy;
    private final AtomicInteger waitingSum = new AtomicInteger();
    private final AtomicInteger heldSum = new AtomicInteger();

    KamonKernelMetrics(String kernelId, int ringSlots) {
        this.kernel = TagSet.of(MetricNames.KERNEL_TAG, kernelId);
        this.ringSlots = ringSlots;
        for (Outcome outcome : Outcome.values()) {
            answers[outcome.ordinal()] = Kamon.counter(MetricNames.REQUESTS, "Requests answered, by outcome")
                    .withTags(kernel.withTag(MetricNames.OUTCOME_TAG, outcome.label()));
        }
        for (RestartReason reason : RestartReason.values()) {
            restarts[reason.ordinal()] = Kamon.counter(MetricNames.KERNEL_RESTARTS, "Kernel instances relaunched, by reason")
                    .withTags(kernel.withTag(MetricNames.REASON_TAG, reason.label()));
        }
        this.queue = duration("queue");
        this.device = duration("device");
        this.total = duration("total");
        this.publishBatch = batchSize("publish");
        this.deviceBatch = batchSize("device");
        this.queueDepth = Kamon.gauge(MetricNames.QUEUE_DEPTH, "Requests waiting for room in the ring").withTags(kernel);
        this.inFlight = Kamon.gauge(MetricNames.INFLIGHT, "Requests published to the ring and not yet answered")
                .withTags(kernel);
        this.occupancy = Kamon.gauge(MetricNames.RING_OCCUPANCY, "In-flight requests over the ring slots")
                .withTags(kernel);
    }

    private Histogram batchSize(String stage) {
        return Kamon.histogram(MetricNames.BATCH_SIZE, "Requests per batch: per publish to the ring, and per "
                + "dequeue by the kernel").withTags(kernel.withTag(MetricNames.STAGE_TAG, stage));
    }

    private Histogram duration(String stage) {
        return Kamon.histogram(MetricNames.REQUEST_DURATION, "Request time by stage: queue (accepted to published), "
                + "device (published to completed), total", MeasurementUnit.time().nanoseconds())
                .withTags(kernel.withTag(MetricNames.STAGE_TAG, stage));
    }

    @Override
    public void answered(Outcome outcome, int count) {
        answers[outcome.ordinal()].increment(count);
    }

    @Override
    public void queued(long nanos) {
        queue.record(nanos);
    }

    @Override
    public void completed(long deviceNanos, long totalNanos) {
        device.record(deviceNanos);
        total.record(totalNanos);
    }

    @Override
    public void published(int requests) {
        publishBatch.record(requests);
    }

    @Override
    public void dequeued(int requests) {
        deviceBatch.record(requests);
    }

    @Override
    public void restarted(RestartReason reason) {
        restarts[reason.ordinal()].increment();
    }

    @Override
    public InstanceGauges instanceGauges() {
        return new Shares();
    }

    /**
     * One instance's share, added to the kernel's sums as it changes; the gauges are set from the sums, so they
     * never drift.
     */
    private final class Shares implements InstanceGauges {
        private int waiting;
        private int held;

        @Override
        public void update(int waitingNow, int heldNow) {
            if (waitingNow != waiting) {
                queueDepth.update(waitingSum.addAndGet(waitingNow - waiting));
                waiting = waitingNow;
            }
            if (heldNow != held) {
                int sum = heldSum.addAndGet(heldNow - held);
                inFlight.update(sum);
                occupancy.update((double) sum / ringSlots);
                held = heldNow;
            }
        }
    }
}
