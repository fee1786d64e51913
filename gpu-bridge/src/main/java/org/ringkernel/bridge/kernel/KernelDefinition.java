package org.ringkernel.bridge.kernel;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything a backend needs to run a kernel: its id, signature, CPU implementation and, when it has one,
 * its CUDA entry points.
 *
 * @param id the kernel's id, lower case letters, digits and underscores, e.g. {@code layer_norm}
 * @param description one line on what it computes
 * @param signature inputs, outputs, params and shape rule
 * @param cpu the CPU implementation
 * @param cuda the CUDA entry points, empty for CPU-only kernels
 * @param pure whether the kernel's result depends only on its inputs, so a failed request may be retried
 */
public record KernelDefinition(String id, String description, KernelSignature signature, CpuKernel cpu,
                               Optional<CudaEntry> cuda, boolean pure) {
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    /**
     * Checks the definition.
     *
     * @throws IllegalArgumentException when the id is not lower-case letters, digits and underscores
     */
    public KernelDefinition {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("kernel id '" + id
                    + "' must start with a lower-case letter and hold only a-z, 0-9 and _ (at most 63 characters)");
        }
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(cuda, "cuda");
    }

    /** Checks a request against the signature; see {@link KernelSignature#bind}. */
    public BoundRequest bind(KernelRequest request) {
        return signature.bind(id, request);
    }

    /** What {@code request}, bound by this kernel, is estimated to cost; see {@link KernelSignature#cost()}. */
    public RequestCost cost(BoundRequest request) {
        return signature.cost().estimate(request);
    }
}
