package org.ringkernel.actors;

import java.util.List;
import java.util.Objects;

/**
 * A group of answers to {@link KernelCommand.ProcessBatch} (or {@link KernelCommand.ProcessGrouped}) requests for the
 * same caller: the answers a kernel gave at one moment, each with its request's tag.
 *
 * @param results the answers, at least one, in no order a caller should rely on
 */
public record TaggedResults(List<TaggedResult> results) {
    /** Copies the answers. */
    public TaggedResults {
        results = List.copyOf(Objects.requireNonNull(results, "results"));
    }
}
