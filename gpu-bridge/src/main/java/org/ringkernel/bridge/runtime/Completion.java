package org.ringkernel.bridge.runtime;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * The outcome of one request, as the host reads it from the K2H ring.
 *
 * @param requestId the id the request was staged with
 * @param status what happened; outputs are present only for {@link CompletionStatus#OK}
 * @param outputs the output tensors, shaped by the kernel's signature
 * @param hostNanos from staging to reading the completion
 * @param kernelNanos time the kernel spent on the batch this request was part of
 * @param batchSize how many requests that batch held
 * @param path how the request was computed
 * @param clock the host's HLC reading when the completion was read
 * @param detail what went wrong, in words, where the host knows more than the status says (an output the kernel
 *     did not write); empty otherwise
 * @param inPlace for a request staged in place ({@link HostChannel#stage(long,
 *     org.ringkernel.bridge.kernel.BoundRequest, boolean)}) that completed, its outputs read in the arena, to be
 *     closed by the caller; {@link #outputs} is then empty. Empty otherwise
 */
public record Completion(long requestId, CompletionStatus status, List<Tensor> outputs, long hostNanos,
                         long kernelNanos, int batchSize, ExecutionPath path, long clock, String detail,
                         Optional<ArenaOutputs> inPlace) {

    /** Copies the outputs. */
    public Completion {
        outputs = List.copyOf(outputs);
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(inPlace, "inPlace");
    }

    /** A completion whose outputs, if any, were copied out of the arena. */
    public Completion(long requestId, CompletionStatus status, List<Tensor> outputs, long hostNanos,
                      long kernelNanos, int batchSize, ExecutionPath path, long clock, String detail) {
        this(requestId, status, outputs, hostNanos, kernelNanos, batchSize, path, clock, detail, Optional.empty());
    }

    /**
     * What went wrong, in words.
     *
     * @return the {@link #detail} where there is one, else the status's description
     */
    public String failure() {
        return detail.isEmpty() ? status.description() : detail;
    }

    /** Whether the request completed, so its outputs are there. */
    public boolean ok() {
        return status == CompletionStatus.OK;
    }
}
