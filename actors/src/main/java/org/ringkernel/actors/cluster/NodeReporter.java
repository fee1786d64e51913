package org.ringkernel.actors.cluster;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.ringkernel.actors.KernelHost;

/**
 * Every node's answer to "what runs here": listed with the receptionist under {@link #KEY}, so any node can
 * gather the cluster's placement from all of them.
 */
final class NodeReporter {
    static final ServiceKey<NodeDescription.Describe> KEY = ServiceKey.create(NodeDescription.Describe.class,
            "ringkernel-node");

    private NodeReporter() {
    }

    /** @param host the node's kernels, absent on a node that hosts none */
    static Behavior<NodeDescription.Describe> create(String node, List<String> roles, Optional<KernelHost> host,
                                                     Supplier<List<String>> notes) {
        return Behaviors.setup(context -> {
            context.getSystem().receptionist().tell(Receptionist.register(KEY, context.getSelf()));
            return Behaviors.receive(NodeDescription.Describe.class)
                    .onMessage(NodeDescription.Describe.class, describe -> {
                        describe.replyTo().tell(describe(node, roles, host, notes.get()));
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    static NodeDescription describe(String node, List<String> roles, Optional<KernelHost> host, List<String> notes) {
        List<NodeDescription.HostedEntity> entities = host.map(h -> h.hosted().stream()
                .map(hosted -> new NodeDescription.HostedEntity(hosted.name(), hosted.info().backend(),
                        hosted.info().instances().get(0).placed(EntityId.parse(hosted.name()).index(), node)))
                .toList()).orElse(List.of());
        return new NodeDescription(node, roles, host.map(KernelHost::backend).orElse("none"), entities, notes);
    }
}
