package org.ringkernel.kernels.builtin;

import java.nio.FloatBuffer;
import org.ringkernel.bridge.kernel.CpuKernel;
import org.ringkernel.bridge.kernel.KernelCall;
import org.ringkernel.bridge.kernel.KernelDefinition;

/**
 * {@code saxpy}: {@code out = alpha * x + y} for two tensors of the same shape.
 *
 * <p>Cost ({@link BuiltinCosts}): 2n flops and 12n bytes for n elements.
 */
public final class SaxpyKernel implements CpuKernel {
    /** The kernel's id in the catalogue. */
    public static final String ID = "saxpy";

    private static final KernelDefinition DEFINITION = KernelDefinition.elementwise(ID)
            .describedAs("out = alpha * x + y, element-wise, for x and y of the same shape")
            .input("x", "any shape")
            .input("y", "same as x")
            .output("out", "same as x")
            .param("alpha", 1.0, "the factor of x")
            .cost(BuiltinCosts.perElement(2, 12))
            .rowwise()
            .cpu(new SaxpyKernel())
            .cuda(BuiltinDefinition.persistent(ID))
            .build();

    private SaxpyKernel() {
    }

    /** The kernel's definition for the catalogue. */
    public static KernelDefinition definition() {
        return DEFINITION;
    }

    @Override
    public void execute(KernelCall call) {
        float alpha = call.param(0);
        FloatBuffer x = call.input(0);
        FloatBuffer y = call.input(1);
        FloatBuffer out = call.output(0);
        Elementwise.binary(x, y, out, (xs, ys, count) -> {
            for (int i = 0; i < count; i++) {
                xs[i] = alpha * xs[i] + ys[i];
            }
        });
    }
}
