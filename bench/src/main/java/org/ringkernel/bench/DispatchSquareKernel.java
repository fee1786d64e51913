package org.ringkernel.bench;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Optional;
import org.ringkernel.bridge.kernel.CpuKernel;
import org.ringkernel.bridge.kernel.KernelCall;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelSignature;
import org.ringkernel.bridge.kernel.ShapeRule;
import org.ringkernel.bridge.kernel.TensorSpec;

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
                new KernelSignature(List.of(TensorSpec.required("x", "any shape")),
                        List.of(TensorSpec.required("y", "same as x")), List.of(), true, ShapeRule.elementwise()),
                new DispatchSquareKernel(), Optional.empty(), true);
    }

    @Override
    public void execute(KernelCall call) {
        FloatBuffer x = call.input(0);
        FloatBuffer y = call.output(0);
        for (int i = 0, size = x.limit(); i < size; i++) {
            float value = x.get(i);
            y.put(i, value * value);
        }
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
