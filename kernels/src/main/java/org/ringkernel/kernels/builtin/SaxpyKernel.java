package org.ringkernel.kernels.builtin;

import java.nio.FloatBuffer;
import java.util.List;
import org.ringkernel.bridge.kernel.CpuKernel;
import org.ringkernel.bridge.kernel.InputValues;
import org.ringkernel.bridge.kernel.KernelCall;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelSignature;
import org.ringkernel.bridge.kernel.ParamSpec;
import org.ringkernel.bridge.kernel.ShapeRule;
import org.ringkernel.bridge.kernel.TensorSpec;

/**
 * {@code saxpy}: {@code out = alpha * x + y} for two tensors of the same shape.
 *
 * <p>Cost ({@link BuiltinCosts}): 2n flops and 12n bytes for n elements.
 */
public final class SaxpyKernel implements CpuKernel {
    /** The kernel's id in the catalogue. */
    public static final String ID = "saxpy";

    private static final KernelDefinition DEFINITION = BuiltinDefinition.of(ID,
            "out = alpha * x + y, element-wise, for x and y of the same shape",
            new KernelSignature(
                    List.of(TensorSpec.required("x", "any shape"), TensorSpec.required("y", "same as x")),
                    List.of(TensorSpec.required("out", "same as x")),
                    List.of(ParamSpec.anyFinite("alpha", 1.0, "the factor of x")),
                    InputValues.FINITE, ShapeRule.elementwise())
                    .withCost(BuiltinCosts.perElement(2, 12)),
            new SaxpyKernel());

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
        for (int i = 0, size = x.limit(); i < size; i++) {
            out.put(i, alpha * x.get(i) + y.get(i));
        }
    }
}
