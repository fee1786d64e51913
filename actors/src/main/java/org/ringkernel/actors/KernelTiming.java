package org.ringkernel.actors;

/**
 * Where a request's time went.
 *
 * @param queuedNanos from the actor taking the request to its publication in the ring
 * @param ringNanos from publication to the actor reading the completion
 * @param kernelNanos time the kernel spent on the batch the request was part of
 * @param batchSize how many requests that batch held
 * @param path how the request was computed: {@code ring} (the kernel's loop) or {@code launch} (an ordinary
 *     launch over the whole GPU)
 */
public record KernelTiming(long queuedNanos, long ringNanos, long kernelNanos, int batchSize, String path) {

    /** No timing, for an answer that never reached a kernel. */
    public static final KernelTiming NONE = new KernelTiming(0, 0, 0, 0, "");

    /** From the actor taking the request to its reading the completion: queued plus in the ring. */
    public long totalNanos() {
        return queuedNanos + ringNanos;
    }
}
