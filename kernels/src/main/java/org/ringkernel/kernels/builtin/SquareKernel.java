package org.ringkernel.kernels.builtin;

import java.nio.FloatBuffer;
import java.util.List;
import org.ringkernel.bridge.kernel.CpuKernel;
import org.ringkernel.bridge.kernel.InputValues;
import org.ringkernel.bridge.kernel.KernelCall;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelSignature;
import org.ringkernel.bridge.kernel.ShapeRule;
import org.ringkernel.bridge.kernel.TensorSpec;

/**
 * {@code square}: {@code y = x * x}, element-wise.
 *
 * <p>Cost ({@link BuiltinCosts}): n flops and 8n bytes for n elements.
 */
public final class SquareKernel implements CpuKernel {
    /** The kernel's id in the catalogue. */
    public static final String ID = "square";

    private static final KernelDefinition DEFINITION = BuiltinDefinition.of(ID,
            "y = x * x, element-wise",
            new KernelSignature(
                    List.of(TensorSpec.required("x", "any shape")),
                    List.of(TensorSpec.required("y", "same as x")),
                    List.of(), InputValues.FINITE, ShapeRule.elementwise())
                    .withCost(BuiltinCosts.perElement(1, 8)).asRowwise(),
            new SquareKernel());

    private SquareKernel() {
    }

    /** The kernel's definition for the catalogue. */
    public static KernelDefinition definition() {
        return DEFINITION;
    }

    @Override
    public void execute(KernelCall call) {
        FloatBuffer x = call.input(0);
        FloatBuffer y = call.output(0);
        Elementwise.unary(x, y, (values, from, to) -> {
            for (int i = from; i < to; i++) {
                values[i] *= values[i];
            }
        });
    }
}
