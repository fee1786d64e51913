package org.ringkernel.bridge.runtime;

/**
 * A fault an operator or a test can inject into a running kernel instance, to drill what failure looks
 * like. Callers decide whether injection is allowed; the runtime only carries it out.
 */
public enum InjectedFault {
    /**
     * The next batch fails as if the kernel's implementation had thrown. On CUDA the persistent kernel traps,
     * a sticky error that fails the whole device, so the drill restarts the device.
     */
    FAIL_NEXT_BATCH,
    /**
     * The next batch never finishes and the heartbeat stops, until the instance is abandoned (on CUDA, until
     * its context is reset).
     */
    HANG_NEXT_BATCH,
    /**
     * A worker stalls on the next batch while the loop stays alive: the heartbeat keeps beating and nothing
     * completes. On CUDA a worker block (the grid's last; block 0 on a one-block grid) withholds its ack, so
     * block 0 waits for it until its bounded wait gives up and reports {@link KernelErrorCode#WORKER_STALLED};
     * on the CPU the loop beats without finishing the batch until the instance is terminated or abandoned, so
     * only the host's watchdog can see it.
     */
    STALL_WORKER
}
