package org.ringkernel.kernels.builtin;

import java.util.Optional;
import org.ringkernel.bridge.kernel.CpuKernel;
import org.ringkernel.bridge.kernel.CudaEntry;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelSignature;
import org.ringkernel.kernels.cuda.KernelImage;

/** What every built-in kernel's definition shares: CUDA entry points named after the id, and purity. */
final class BuiltinDefinition {

    private BuiltinDefinition() {
    }

    /**
     * A built-in kernel's definition. Its CUDA source exports {@code rk_<id>_ring} and {@code rk_<id>_launch};
     * every built-in kernel is pure, so a failed request may be retried.
     */
    static KernelDefinition of(String id, String description, KernelSignature signature, CpuKernel cpu) {
        return define(id, description, signature, cpu, persistent(id));
    }

    /**
     * The CUDA entries of a built-in kernel running as a persistent kernel, for definitions written with
     * {@link KernelDefinition#builder}: its source exports {@code rk_<id>_ring} and {@code rk_<id>_launch}.
     */
    static CudaEntry persistent(String id) {
        return CudaEntry.persistent(KernelImage.MODULE, ringEntry(id), launchEntry(id));
    }

    /**
     * A built-in kernel whose requests are heavy enough to want the whole device: on CUDA its instances run
     * on the launch path, one ordinary launch over the whole grid per request.
     */
    static KernelDefinition launched(String id, String description, KernelSignature signature, CpuKernel cpu) {
        return define(id, description, signature, cpu,
                CudaEntry.launched(KernelImage.MODULE, ringEntry(id), launchEntry(id)));
    }

    private static KernelDefinition define(String id, String description, KernelSignature signature, CpuKernel cpu,
                                           CudaEntry cuda) {
        return new KernelDefinition(id, description, signature, cpu, Optional.of(cuda), true);
    }

    static String ringEntry(String id) {
        return "rk_" + id + "_ring";
    }

    static String launchEntry(String id) {
        return "rk_" + id + "_launch";
    }
}
