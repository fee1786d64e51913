package org.ringkernel.actors;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;

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

    /** Everything this node runs, by the names it was started under. */
    List<Hosted> hosted();

    /** The backend running the kernels, in words. */
    String backend();

    /**
     * One kernel that runs here.
     *
     * @param name what it was started as
     * @param info what it last reported
     */
    record Hosted(String name, KernelInfo info) {
    }
}
