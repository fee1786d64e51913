package org.ringkernel.kernels.builtin;

import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/**
 * The rows of the kernel contract suite: every way of running a kernel that must agree with the float64
 * reference. A new backend joins the suite by adding its runner here. The CUDA row skips, with the reason,
 * where no CUDA device is usable.
 */
public final class KernelRunners {

    private KernelRunners() {
    }

    /** Every runner, named for test reports; a {@code @MethodSource} for runner-parameterized tests. */
    public static Stream<Named<KernelRunner>> all() {
        return Stream.of(Named.of("heap", new HeapKernelRunner()),
                Named.of("cpu-backend", new CpuBackendKernelRunner()), Named.of("cuda", new CudaKernelRunner()));
    }
}
