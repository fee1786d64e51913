package org.ringkernel.actors;

import java.util.List;

/**
 * Whether this node can serve: every started kernel takes requests (and, in a cluster, the node has joined and
 * reaches a node that hosts kernels).
 *
 * @param ready true when nothing stands in the way
 * @param problems one line per thing that does, naming it and why
 * @param notes what operators should know that does not stand in the way, e.g. a gpu node running its kernels
 *     on the CPU backend
 */
public record Readiness(boolean ready, List<String> problems, List<String> notes) {

    /** Copies the lists. */
    public Readiness {
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
    }

    /** Readiness with nothing to note. */
    public Readiness(boolean ready, List<String> problems) {
        this(ready, problems, List.of());
    }
}
