package org.ringkernel.bench;

import java.util.List;
import java.util.Optional;
import org.ringkernel.bridge.kernel.CpuKernel;
import org.ringkernel.bridge.kernel.KernelCall;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.kernels.builtin.SquareKernel;

/**
 * A custom kernel standing in for a GPU: each batch first pays a fixed dispatch cost, busy-waiting
 * {@link #DISPATCH_NANOS} as a kernel launch would take, then squares every request of the batch.
 */
final class DispatchSquareKernel implements CpuKernel {
    static final String ID = "dispatch_square";
    static final long DISPATCH_NANOS = 3_000;

    private DispatchSquareKernel() {
    }

    static KernelDefinition definition() {
        return new KernelDefinition(ID, "y = x * x, after a fixed 3 us dispatch per batch",
                SquareKernel.definition().signature(), new DispatchSquareKernel(), Optional.empty(), true);
    }

    @Override
    public void execute(KernelCall call) {
        SquareKernel.definition().cpu().execute(call);
    }

    @Override
    public void executeBatch(List<KernelCall> batch) {
        long end = System.nanoTime() + DISPATCH_NANOS;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
        for (KernelCall call : batch) {
            execute(call);
        }
    }
}
