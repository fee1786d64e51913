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
 * {@code add}: {@code y = a + b} for two tensors of the same shape.
 *
 * <p>Cost ({@link BuiltinCosts}): n flops and 12n bytes for n elements.
 */
public final class AddKernel implements CpuKernel {
    /** The kernel's id in the catalogue. */
    public static final String ID = "add";

    private static final KernelDefinition DEFINITION = BuiltinDefinition.of(ID,
            "y = a + b, element-wise, for a and b of the same shape",
            new KernelSignature(
                    List.of(TensorSpec.required("a", "any shape"), TensorSpec.required("b", "same as a")),
                    List.of(TensorSpec.required("y", "same as a")),
                    List.of(), InputValues.FINITE, ShapeRule.elementwise())
                    .withCost(BuiltinCosts.perElement(1, 12)).asRowwise(),
            new AddKernel());

    private AddKernel() {
    }

    /** The kernel's definition for the catalogue. */
    public static KernelDefinition definition() {
        return DEFINITION;
    }

    @Override
    public void execute(KernelCall call) {
        FloatBuffer a = call.input(0);
        FloatBuffer b = call.input(1);
        FloatBuffer y = call.output(0);
        Elementwise.binary(a, b, y, (left, right, count) -> {
            for (int i = 0; i < count; i++) {
                left[i] += right[i];
            }
        });
    }
}
