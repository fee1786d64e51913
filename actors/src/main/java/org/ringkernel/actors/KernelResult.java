package org.ringkernel.actors;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * The answer to one request: its outputs, or the error that took their place (only streams that carry
 * errors as elements hand out failed results; {@link KernelRef#process} fails its stage instead).
 *
 * @param kernelId the kernel that answered
 * @param request the request answered, so results can be matched to requests out of order
 * @param outputs the output tensors, empty when failed
 * @param error why there are no outputs
 * @param backend the backend that ran the kernel, e.g. {@code cpu}
 * @param timing where the time went
 * @param node the cluster node that computed it (its Pekko address), empty where clustering is off
 */
public record KernelResult(String kernelId, KernelRequest request, List<Tensor> outputs,
                           Optional<KernelRequestException> error, String backend, KernelTiming timing, String node) {

    /** Checks the result; the outputs are copied. */
    public KernelResult {
        Objects.requireNonNull(request, "request");
        outputs = List.copyOf(outputs);
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(node, "node");
    }

    /** A result without outputs: {@code kernelId} answered {@code request} with {@code error}. */
    public static KernelResult failed(String kernelId, KernelRequest request, KernelRequestException error) {
        return new KernelResult(kernelId, request, List.of(), Optional.of(error), "", KernelTiming.NONE, "");
    }

    /** Whether the request succeeded, so the outputs are there. */
    public boolean ok() {
        return error.isEmpty();
    }

    /**
     * The first output.
     *
     * @throws KernelRequestException the error, when the request failed
     */
    public Tensor output() {
        if (error.isPresent()) {
            throw error.get();
        }
        return outputs.get(0);
    }
}
