package org.ringkernel.kernels.builtin;

import org.ringkernel.bridge.runtime.Backend;
import org.ringkernel.kernels.cuda.CudaTestDevice;

/**
 * Runs a kernel on the GPU (see {@link BackendKernelRunner}): a persistent ring kernel, or the launch path for the
 * kernels that use it, with the ring and the arena in mapped host memory. Skips where no CUDA device is usable.
 */
public final class CudaKernelRunner extends BackendKernelRunner {

    @Override
    Backend backend() {
        return CudaTestDevice.shared();
    }

    @Override
    public String toString() {
        return "cuda";
    }
}
