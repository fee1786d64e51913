package org.ringkernel.bridge.runtime;

/**
 * Counters of one kernel instance at one moment.
 *
 * @param submitted requests the host published
 * @param completed requests whose completion the host read (failed ones included)
 * @param messagesProcessed requests the kernel reports processed
 * @param batchesProcessed batches the kernel reports dequeued
 * @param heartbeat the kernel's heartbeat, a value that grows while its loop runs
 */
public record KernelCounters(long submitted, long completed, long messagesProcessed, long batchesProcessed,
                             long heartbeat) {

    /** Mean requests per dequeued batch, 0 before the first batch. */
    public double meanBatchSize() {
        return batchesProcessed == 0 ? 0 : (double) messagesProcessed / batchesProcessed;
    }
}
