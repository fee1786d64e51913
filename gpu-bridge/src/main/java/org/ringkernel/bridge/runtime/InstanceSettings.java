package org.ringkernel.bridge.runtime;

import java.time.Duration;
import java.util.Objects;
import org.ringkernel.bridge.ring.KernelMemoryLayout;

/**
 * How one kernel instance is laid out and driven.
 *
 * @param capacity ring capacity, the most requests in flight (a power of two)
 * @param arenaBytes bytes of data arena (a multiple of 64)
 * @param maxBatchSize the most requests the kernel takes in one dequeue
 * @param poisonOutputs whether output extents are filled with NaN before the kernel runs, so an unwritten
 *     element shows (for tests and self-checks; it costs a write per output element)
 * @param idle how the CPU loop waits when there is no work
 * @param workerStallTimeout how long a device kernel's block 0 waits for the other blocks to finish a batch
 *     before it reports {@link KernelErrorCode#WORKER_STALLED}; the actors set it to their watchdog timeout
 * @param outputCheck how the host checks that the kernel wrote every output ({@link OutputCheck})
 */
public record InstanceSettings(int capacity, int arenaBytes, int maxBatchSize, boolean poisonOutputs,
                               IdleSettings idle, Duration workerStallTimeout, OutputCheck outputCheck) {
    /** The worker stall timeout where none is given: the actors' default watchdog timeout. */
    public static final Duration DEFAULT_WORKER_STALL_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException when the capacity or arena length is not one a kernel's memory can take,
     *     or the stall timeout is not positive
     */
    public InstanceSettings {
        KernelMemoryLayout.of(capacity, arenaBytes);
        Objects.requireNonNull(outputCheck, "outputCheck");
        if (workerStallTimeout.isNegative() || workerStallTimeout.isZero()) {
            throw new IllegalArgumentException("worker stall timeout must be positive, was " + workerStallTimeout);
        }
        if (maxBatchSize < 1 || maxBatchSize > capacity) {
            throw new IllegalArgumentException("max batch size must be in [1, capacity " + capacity + "], was "
                    + maxBatchSize);
        }
    }

    /** Settings that check outputs by {@link OutputCheck#SAMPLE}. */
    public InstanceSettings(int capacity, int arenaBytes, int maxBatchSize, boolean poisonOutputs, IdleSettings idle,
                            Duration workerStallTimeout) {
        this(capacity, arenaBytes, maxBatchSize, poisonOutputs, idle, workerStallTimeout, OutputCheck.SAMPLE);
    }

    /** Settings with the {@link #DEFAULT_WORKER_STALL_TIMEOUT} that check outputs by {@link OutputCheck#SAMPLE}. */
    public InstanceSettings(int capacity, int arenaBytes, int maxBatchSize, boolean poisonOutputs, IdleSettings idle) {
        this(capacity, arenaBytes, maxBatchSize, poisonOutputs, idle, DEFAULT_WORKER_STALL_TIMEOUT);
    }

    /** These settings with another worker stall timeout. */
    public InstanceSettings withWorkerStallTimeout(Duration timeout) {
        return new InstanceSettings(capacity, arenaBytes, maxBatchSize, poisonOutputs, idle, timeout, outputCheck);
    }

    /**
     * These settings with another output check.
     *
     * @param check how the host checks that the kernel wrote its outputs
     * @return the settings with {@code check}
     */
    public InstanceSettings withOutputCheck(OutputCheck check) {
        return new InstanceSettings(capacity, arenaBytes, maxBatchSize, poisonOutputs, idle, workerStallTimeout, check);
    }

    /**
     * How an idle CPU loop waits: spin first (lowest latency), then yield, then park for growing intervals up
     * to {@code maxPark} (costs no CPU but adds wake-up latency; the host's doorbell cuts it short). Once the
     * spins and yields have taken {@code busyLimit} since work was last found, the yields left are skipped and it
     * parks: a yielding thread still counts as running, so the scheduler does not move the threads waiting for
     * the other cores onto its core, and on a virtual machine each yield that switches threads is a costly system
     * call. {@link Duration#ZERO} sets no limit: the counts alone decide.
     */
    public record IdleSettings(int spinIterations, int yieldIterations, Duration maxPark, Duration busyLimit) {
        /**
         * Checks the settings.
         *
         * @throws IllegalArgumentException when a count or the busy limit is negative or the longest park not
         *     positive
         */
        public IdleSettings {
            if (spinIterations < 0 || yieldIterations < 0) {
                throw new IllegalArgumentException("spin and yield iterations must not be negative");
            }
            if (maxPark.isNegative() || maxPark.isZero()) {
                throw new IllegalArgumentException("max park must be positive, was " + maxPark);
            }
            if (busyLimit.isNegative()) {
                throw new IllegalArgumentException("busy limit must not be negative, was " + busyLimit);
            }
        }

        /** Settings whose counts alone decide when it parks, without a busy limit. */
        public IdleSettings(int spinIterations, int yieldIterations, Duration maxPark) {
            this(spinIterations, yieldIterations, maxPark, Duration.ZERO);
        }

        /** The same settings with another longest park. */
        public IdleSettings withMaxPark(Duration longestPark) {
            return new IdleSettings(spinIterations, yieldIterations, longestPark, busyLimit);
        }
    }
}
