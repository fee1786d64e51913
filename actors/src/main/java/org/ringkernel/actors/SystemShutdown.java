package org.ringkernel.actors;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Whether the actor system of a {@link RingKernels} is going away, so that requests are refused at once with
 * {@link KernelUnavailableException} rather than failed as a kernel failure or left to time out.
 *
 * <p>Kernels keep taking requests through the service phases of {@link CoordinatedShutdown} (a server draining
 * its requests still sends them to the kernels) and refuse new ones from its phase
 * {@code before-actor-system-terminate} on, just before their actors stop; an actor system terminated without
 * coordinated shutdown refuses them once it has terminated.
 */
final class SystemShutdown {
    static final String MESSAGE = "the actor system is shutting down";

    private final ActorSystem<?> system;
    private final AtomicBoolean kernelsStopping = new AtomicBoolean();

    private SystemShutdown(ActorSystem<?> system) {
        this.system = system;
    }

    /** Watches {@code system}'s coordinated shutdown from now on. */
    static SystemShutdown watch(ActorSystem<?> system) {
        SystemShutdown shutdown = new SystemShutdown(system);
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
                "ringkernel-refuse-requests", () -> {
                    shutdown.kernelsStopping.set(true);
                    return CompletableFuture.completedFuture(Done.getInstance());
                });
        return shutdown;
    }

    /** Whether new requests are refused: the kernels' actors are about to stop or have stopped. */
    boolean refusesRequests() {
        return kernelsStopping.get() || system.whenTerminated().isCompleted();
    }

    /** Whether the system has begun to shut down at all: its coordinated shutdown runs, or it terminated. */
    static boolean started(ActorSystem<?> system) {
        return CoordinatedShutdown.get(system).getShutdownReason().isPresent() || system.whenTerminated().isCompleted();
    }

    /** What a request to {@code kernelId} is answered once the system shuts down. */
    static KernelUnavailableException refusal(String kernelId) {
        return new KernelUnavailableException(kernelId, "kernel '" + kernelId + "' cannot answer: " + MESSAGE);
    }

    /**
     * Passes while the system runs.
     *
     * @throws IllegalStateException naming the system, once it has terminated or its kernels stop
     */
    void requireRunning() {
        if (system.whenTerminated().isCompleted()) {
            throw new IllegalStateException("actor system '" + system.name() + "' has terminated; RingKernels"
                    + " hands out no kernels on it");
        }
        if (refusesRequests()) {
            throw new IllegalStateException("actor system '" + system.name() + "' is shutting down; RingKernels"
                    + " hands out no kernels on it");
        }
    }
}
