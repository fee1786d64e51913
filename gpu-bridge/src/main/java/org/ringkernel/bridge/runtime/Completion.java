package org.ringkernel.bridge.runtime;

import java.util.List;
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
 */
public record Completion(long requestId, CompletionStatus status, List<Tensor> outputs, long hostNanos,
                         long kernelNanos, int batchSize, ExecutionPath path, long clock) {

    /** Copies the outputs. */
    public Completion {
        outputs = List.copyOf(outputs);
    }

    /** Whether the request completed, so its outputs are there. */
    public boolean ok() {
        return status == CompletionStatus.OK;
    }
}
