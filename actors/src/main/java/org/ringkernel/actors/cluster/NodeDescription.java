package org.ringkernel.actors.cluster;

import java.util.List;
import org.ringkernel.actors.InstanceStatus;

/**
 * What one node says of itself when asked for the cluster's view.
 *
 * @param node its address
 * @param roles its roles
 * @param backend the backend its kernels run on, {@code none} on a node that hosts no kernels
 * @param entities the kernel entities it hosts
 * @param notes what operators should know about it, e.g. a gpu node without a usable CUDA device
 */
public record NodeDescription(String node, List<String> roles, String backend, List<HostedEntity> entities,
                              List<String> notes) implements ClusterMessage {

    /** Copies the lists. */
    public NodeDescription {
        roles = List.copyOf(roles);
        entities = List.copyOf(entities);
        notes = List.copyOf(notes);
    }

    /**
     * One kernel entity a node hosts.
     *
     * @param entityId e.g. {@code square#1}
     * @param backend the backend it runs on
     * @param status how its instance fares
     */
    public record HostedEntity(String entityId, String backend, InstanceStatus status) {
    }

    /** Asks a node's reporter for its {@link NodeDescription}. */
    public record Describe(org.apache.pekko.actor.typed.ActorRef<NodeDescription> replyTo) implements ClusterMessage {
    }
}
