package org.ringkernel.kernels.builtin;

import java.util.List;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * One way of running a kernel: a row of the kernel contract suite. Every runner must give the same outputs
 * for the same request, within the kernel's tolerance.
 */
public interface KernelRunner {

    /**
     * Runs {@code request} on {@code kernel} and returns its outputs in signature order, shaped as the kernel's
     * shape rule says.
     *
     * @throws org.ringkernel.bridge.kernel.InvalidKernelInputException when the request does not fit the kernel
     */
    List<Tensor> run(KernelDefinition kernel, KernelRequest request);
}
