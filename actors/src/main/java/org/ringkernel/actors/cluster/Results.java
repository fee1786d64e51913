package org.ringkernel.actors.cluster;

import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Answers from one kernel entity to one sending node, in a batch.
 *
 * @param entityId the entity that answered, e.g. {@code square#1}
 * @param entity that incarnation of the entity, for the sender to watch
 * @param node the address of the node that hosts it
 * @param accepted the requests it took since its last message to this sender, by {@link WireRequest#seq()}: it
 *     answers each of them, unless it is lost with its node
 * @param results the answers
 */
public record Results(String entityId, ActorRef<KernelEntity.Command> entity, String node, List<Long> accepted,
                      List<WireResult> results) implements ClusterMessage {

    /** Copies the lists. */
    public Results {
        accepted = List.copyOf(accepted);
        results = List.copyOf(results);
    }
}
