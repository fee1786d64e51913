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
 * {@code echo}: {@code y = x}, bit for bit; the one kernel that passes NaN and infinities through.
 *
 * <p>Cost ({@link BuiltinCosts}): n element copies and 8n bytes for n elements.
 */
public final class EchoKernel implements CpuKernel {
    /** The kernel's id in the catalogue. */
    public static final String ID = "echo";

    private static final KernelDefinition DEFINITION = BuiltinDefinition.of(ID,
            "y = x; passes NaN and infinities through",
            new KernelSignature(
                    List.of(TensorSpec.required("x", "any shape")),
                    List.of(TensorSpec.required("y", "same as x")),
                    List.of(), InputValues.ANY, ShapeRule.elementwise())
                    .withCost(BuiltinCosts.perElement(1, 8)).asRowwise(),
            new EchoKernel());

    private EchoKernel() {
    }

    /** The kernel's definition for the catalogue. */
    public static KernelDefinition definition() {
        return DEFINITION;
    }

    @Override
    public void execute(KernelCall call) {
        FloatBuffer x = call.input(0);
        call.output(0).put(0, x, 0, x.limit());
    }
}
