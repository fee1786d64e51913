package org.ringkernel.actors;

import java.util.List;

/**
 * Whether every started kernel takes requests.
 *
 * @param ready true when each has at least one active instance
 * @param problems one line per kernel that does not, naming it and why
 */
public record Readiness(boolean ready, List<String> problems) {

    public Readiness {
        problems = List.copyOf(problems);
    }
}
