package org.ringkernel.actors.cluster;

import java.util.List;
import java.util.Map;

/**
 * The cluster as one node sees it: for {@code GET /api/cluster} and operators' tools.
 *
 * @param self this node's address
 * @param leader the leader's address, empty while there is none
 * @param members every member with its roles and status
 * @param nodes what each node that answered hosts (refreshed every {@code ringkernel.cluster.view-refresh})
 * @param routing what this node's routers did, by kernel id
 */
public record ClusterStatus(String self, String leader, List<Member> members, List<NodeDescription> nodes,
                            Map<String, RoutingCounters.Snapshot> routing) {

    /** Copies the lists and the map. */
    public ClusterStatus {
        members = List.copyOf(members);
        nodes = List.copyOf(nodes);
        routing = Map.copyOf(routing);
    }

    /**
     * One member of the cluster.
     *
     * @param address its address
     * @param roles its roles (Pekko's own {@code dc-} role left out)
     * @param status Pekko's member status, e.g. {@code Up}
     * @param reachable whether this node's failure detector reaches it
     */
    public record Member(String address, List<String> roles, String status, boolean reachable) {
        /** Copies the roles. */
        public Member {
            roles = List.copyOf(roles);
        }
    }
}
