package org.ringkernel.bridge.kernel;

import java.util.List;

/**
 * A kernel's CPU implementation: computes the same function as its CUDA source, on requests already checked
 * against the signature. An exception fails the kernel instance (its supervisor restarts it).
 */
@FunctionalInterface
public interface CpuKernel {

    /** Computes one request, writing every element of every output. */
    void execute(KernelCall call);

    /**
     * Computes a batch taken from the ring in one dequeue. Implementations whose work per request is small
     * may override this to spread a batch over threads; the default runs the requests in order.
     */
    default void executeBatch(List<KernelCall> batch) {
        for (KernelCall call : batch) {
            execute(call);
        }
    }
}
