package org.ringkernel.kernels.builtin;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ringkernel.bridge.kernel.KernelDefinition;

/** The catalogue of built-in kernels, in the order of the kernel library's README. */
public final class BuiltinKernels {
    private static final List<KernelDefinition> ALL = List.of(
            EchoKernel.definition(),
            SquareKernel.definition(),
            AddKernel.definition(),
            SaxpyKernel.definition(),
            NormalizeKernel.definition(),
            StatsKernel.definition(),
            MatmulKernel.definition(),
            SoftmaxKernel.definition(),
            LayerNormKernel.definition(),
            AttentionKernel.definition());

    private BuiltinKernels() {
    }

    /** Every built-in kernel, in catalogue order; the list is immutable. */
    public static List<KernelDefinition> all() {
        return ALL;
    }

    /** The ids of every built-in kernel, in catalogue order. */
    public static List<String> ids() {
        return ALL.stream().map(KernelDefinition::id).toList();
    }

    /** The built-in kernel with this id, if there is one. */
    public static Optional<KernelDefinition> find(String id) {
        Objects.requireNonNull(id, "id");
        return ALL.stream().filter(kernel -> kernel.id().equals(id)).findFirst();
    }

    /**
     * The built-in kernel with this id.
     *
     * @throws IllegalArgumentException naming the id and listing the known ones, when there is none
     */
    public static KernelDefinition get(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException("no built-in kernel '" + id
                + "'; the built-in kernels are " + String.join(", ", ids())));
    }
}
