package org.ringkernel.actors;

import java.time.Duration;
import java.util.Objects;

/**
 * How a kernel's actor batches requests; can be changed while it runs ({@link KernelRef#setBatching}).
 *
 * @param mode how requests are grouped
 * @param maxBatchSize the most requests one publish carries
 * @param maxDelay the longest a request waits for its batch to fill
 */
public record BatchingSettings(BatchingMode mode, int maxBatchSize, Duration maxDelay) {

    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException when the batch size is below 1 or the delay is negative
     */
    public BatchingSettings {
        Objects.requireNonNull(mode, "mode");
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("max batch size must be at least 1, was " + maxBatchSize);
        }
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("max delay must not be negative, was " + maxDelay);
        }
    }
}
