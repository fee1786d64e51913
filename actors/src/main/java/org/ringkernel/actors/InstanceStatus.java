package org.ringkernel.actors;

import java.time.Instant;
import java.util.Optional;
import org.ringkernel.bridge.runtime.KernelState;

/**
 * One kernel instance as its actor sees it.
 *
 * @param index the instance's number within its kernel, from 0
 * @param phase where its actor is in the instance's life
 * @param kernelState the state the running instance reports ({@link KernelState#CREATED} when none runs)
 * @param mode how the instance runs, e.g. {@code cpu-thread}
 * @param batching how the instance batches now
 * @param restarts how often it was relaunched after a failure
 * @param lastFailure the last failure, in words
 * @param lastFailedAt when the instance last failed; empty until it does
 * @param counters its counters
 * @param latency the total time (accepted to answered) of its recent successful requests
 * @param node the cluster node that runs it (its Pekko address), empty where clustering is off
 */
public record InstanceStatus(int index, Phase phase, KernelState kernelState, String mode, BatchingSettings batching,
                             int restarts, Optional<String> lastFailure, Optional<Instant> lastFailedAt,
                             InstanceCounters counters, Latency latency, String node) {

    /** This status as instance {@code newIndex} on {@code onNode}. */
    public InstanceStatus placed(int newIndex, String onNode) {
        return new InstanceStatus(newIndex, phase, kernelState, mode, batching, restarts, lastFailure, lastFailedAt,
                counters, latency, onNode);
    }

    /** Where a kernel actor is in its instance's life. */
    public enum Phase {
        /** An instance runs and takes requests. */
        ACTIVE,
        /** The instance failed; a new one launches after a backoff. Requests wait meanwhile. */
        RESTARTING,
        /** The restart budget is spent: requests are answered "unavailable". */
        UNAVAILABLE,
        /** The actor stopped. */
        STOPPED
    }

    /**
     * @param received requests the actor took
     * @param succeeded requests answered with a result
     * @param failed requests answered with an error (timeouts and overload included)
     * @param timedOut requests answered with a timeout
     * @param overloaded requests refused as overloaded
     * @param batches publishes to the ring
     * @param published requests published to the ring
     * @param largestBatch the most requests one publish carried
     * @param lastBatch the requests the latest publish carried
     * @param inFlight requests in the ring now
     * @param waiting requests waiting for the ring now
     * @param answeredPerSecond requests answered (with a result or an error) per second, over the last second or so
     */
    public record InstanceCounters(long received, long succeeded, long failed, long timedOut, long overloaded,
                                   long batches, long published, int largestBatch, int lastBatch, int inFlight,
                                   int waiting, double answeredPerSecond) {

        /** Every counter at zero, as an instance starts. */
        public static final InstanceCounters ZERO = new InstanceCounters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        /** The mean number of requests one publish carried, 0 before the first batch. */
        public double meanBatchSize() {
            return batches == 0 ? 0 : (double) published / batches;
        }
    }

    /**
     * Percentiles of the total time of an instance's recent successful requests, as the instance measured it.
     *
     * @param samples how many requests the percentiles cover (the window's size at most); 0 before the first
     * @param p50Nanos the median
     * @param p99Nanos the 99th percentile
     */
    public record Latency(int samples, long p50Nanos, long p99Nanos) {

        /** No samples yet. */
        public static final Latency NONE = new Latency(0, 0, 0);
    }
}
