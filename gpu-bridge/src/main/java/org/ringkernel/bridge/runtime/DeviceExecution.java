package org.ringkernel.bridge.runtime;

import java.time.Duration;
import java.util.Optional;

/**
 * A backend's running side of one kernel instance: the thread or GPU kernel that executes its loop.
 * {@link KernelInstance} drives it through the control block and calls these hooks.
 */
public interface DeviceExecution extends Doorbell {

    /** How the instance runs, e.g. {@code "cpu-thread"} or {@code "persistent"}, as reported by kernel info. */
    String mode();

    /** What made the loop fail, when the backend knows more than the control block's error code. */
    Optional<Throwable> failureCause();

    /**
     * Waits until the loop has really stopped (thread joined, GPU kernel exited).
     *
     * @return false when it had not stopped within {@code timeout}
     */
    boolean awaitStopped(Duration timeout) throws InterruptedException;

    /** Frees the instance's memory; called once, after the loop stopped. */
    void release();

    /**
     * How the host chooses each request's path: a GPU ring kernel sends requests whose estimated time on one
     * of its blocks is over budget to its launch path (an ordinary launch instead of the kernel's loop), and
     * refuses those that could hold a block until the watchdog fires when it has no launch path. Every other
     * execution runs every request on its loop.
     */
    default RingRouting routing() {
        return RingRouting.loopOnly();
    }

    /**
     * Computes the request published at H2K {@code position}, which was flagged for the launch path, and
     * writes its completion. Called by the producer after the publish; only for executions whose
     * {@link #routing()} has a launch path.
     */
    default void launchOnHost(long position) {
        throw new UnsupportedOperationException(mode() + " instances have no launch path beside their loop");
    }

    /**
     * Asks the loop to call {@code listener} on its own thread after each publish of completions, and once more
     * when it stops, so the host can read them there instead of on a polling thread of its own.
     *
     * @return false where the loop cannot (a GPU kernel publishes from the device and calls nothing): then the
     *     host must poll for them
     */
    default boolean callAfterCompletions(Runnable listener) {
        return false;
    }

    /**
     * The table of large array tensors the loop reads and writes in host memory instead of the arena, where its loop
     * runs on a host thread that computes on the host (the CPU backend); empty elsewhere, a GPU reading only its
     * arena.
     */
    default Optional<HostResidentTensors> hostResidentTensors() {
        return Optional.empty();
    }

    /** Arms {@code fault} for the loop's next batch. */
    void inject(InjectedFault fault);

    /**
     * Gives up on a loop that does not stop: ends what can be ended (a CPU thread is released and exits
     * without touching the rings again; a GPU context is reset) without waiting for it.
     */
    void abandon();
}
