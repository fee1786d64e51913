package org.ringkernel.kernels.builtin;

import java.util.Optional;
import org.ringkernel.bridge.kernel.CpuKernel;
import org.ringkernel.bridge.kernel.CudaEntry;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelSignature;

/** What every built-in kernel's definition shares: CUDA entry points named after the id, and purity. */
final class BuiltinDefinition {

    private BuiltinDefinition() {
    }

    /**
     * A built-in kernel's definition. Its CUDA source exports {@code rk_<id>_ring} and {@code rk_<id>_launch};
     * every built-in kernel is pure, so a failed request may be retried.
     */
    static KernelDefinition of(String id, String description, KernelSignature signature, CpuKernel cpu) {
        CudaEntry cuda = CudaEntry.withLaunchPath("rk_" + id + "_ring", "rk_" + id + "_launch");
        return new KernelDefinition(id, description, signature, cpu, Optional.of(cuda), true);
    }
}
