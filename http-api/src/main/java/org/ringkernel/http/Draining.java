package org.ringkernel.http;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * Whether the server is shutting down. From then on routes take no new work: {@code /ready} answers 503, and a
 * stream answers the lines it has taken and ends.
 */
public interface Draining {
    /** Whether the shutdown has begun. */
    boolean draining();

    /** Completes when the shutdown begins. */
    CompletionStage<Done> whenDraining();
}
