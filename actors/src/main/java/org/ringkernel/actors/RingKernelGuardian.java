package org.ringkernel.actors;

import java.util.Collection;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.runtime.Backend;
import org.ringkernel.bridge.runtime.BackendSelection;

/**
 * The root of the bridge's actors: it spawns the device supervisor of the selected backend and hands it
 * what the extension asks.
 */
final class RingKernelGuardian {
    private RingKernelGuardian() {
    }

    static Behavior<DeviceSupervisor.Command> create(RingKernelSettings settings, BackendSelection selection,
                                                      KernelDirectory directory, Backend first,
                                                      Supplier<Collection<KernelDefinition>> known) {
        return Behaviors.setup(context -> {
            ActorRef<DeviceSupervisor.Command> device = context.spawn(
                    DeviceSupervisor.create(settings, selection, directory, first, known),
                    "device-" + settings.bridge().deviceId());
            return Behaviors.receive(DeviceSupervisor.Command.class)
                    .onAnyMessage(command -> {
                        device.tell(command);
                        return Behaviors.same();
                    })
                    .build();
        });
    }
}
