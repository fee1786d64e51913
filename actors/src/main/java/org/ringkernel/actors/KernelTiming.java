package org.ringkernel.actors;

/**
 * Where a request's time went.
 *
 * @param queuedNanos from the actor taking the request to its publication in the ring
 * @param ringNanos from publication to the actor reading the completion
 * @param kernelNanos time the kernel spent on the batch the request was part of
 * @param batchSize how many requests that batch held
 */
public record KernelTiming(long queuedNanos, long ringNanos, long kernelNanos, int batchSize) {

    public static final KernelTiming NONE = new KernelTiming(0, 0, 0, 0);

    public long totalNanos() {
        return queuedNanos + ringNanos;
    }
}
