package org.ringkernel.actors;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.ringkernel.bridge.kernel.KernelDefinition;

/**
 * Runs kernel instances on this node's device for the cluster's kernel entities: each under the node's device
 * supervisor, so device restarts, supervision and the watchdog apply to them as to any local kernel. For the
 * bridge's own cluster support; applications use {@link RingKernels#kernel}.
 */
public interface KernelHost {

    /**
     * Starts one instance of {@code kernelId}, listed as {@code name}; completes with the actor that takes its
     * {@link KernelCommand}s, or fails with a {@link KernelRequestException} saying why it cannot run here.
     */
    CompletionStage<ActorRef<KernelCommand>> start(String kernelId, String name);

    /** Stops what runs as {@code name}: it answers every request it still holds, and leaves the listing. */
    void stop(String name);

    /** What runs as {@code name}, as its instance last reported. */
    Optional<KernelInfo> info(String name);

    /** Everything this node runs, by the names it was started under. */
    List<Hosted> hosted();

    /** The backend running the kernels, in words. */
    String backend();

    /** The kernel {@code kernelId} names on this node, built in or registered. */
    Optional<KernelDefinition> definition(String kernelId);

    /**
     * One kernel that runs here.
     *
     * @param name what it was started as
     * @param info what it last reported
     */
    record Hosted(String name, KernelInfo info) {
    }
}
