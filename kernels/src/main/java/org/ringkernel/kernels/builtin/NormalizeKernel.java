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
 * {@code normalize}: each row (slice along the last axis) divided by {@code max(‖row‖₂, eps)}.
 *
 * <p>Cost ({@link BuiltinCosts}): 3n flops and 12n bytes for n elements (each row is read twice).
 */
public final class NormalizeKernel implements CpuKernel {
    /** The kernel's id in the catalogue. */
    public static final String ID = "normalize";

    private static final KernelDefinition DEFINITION = BuiltinDefinition.of(ID,
            "each row divided by its L2 norm: x / max(||row||, eps)",
            new KernelSignature(
                    List.of(TensorSpec.required("x", "[..., n]")),
                    List.of(TensorSpec.required("y", "same as x")),
                    List.of(ParamSpec.range("eps", 1e-12, 1e-30, 1, "the smallest divisor, guarding rows near zero")),
                    InputValues.FINITE, ShapeRule.elementwise())
                    .withCost(BuiltinCosts.perElement(3, 12)),
            new NormalizeKernel());

    private NormalizeKernel() {
    }

    /** The kernel's definition for the catalogue. */
    public static KernelDefinition definition() {
        return DEFINITION;
    }

    @Override
    public void execute(KernelCall call) {
        double eps = call.param(0);
        int n = call.inputDim(0, -1);
        FloatBuffer x = call.input(0);
        FloatBuffer y = call.output(0);
        int rows = x.limit() / n;
        Parallel.forRange(rows, x.limit(), (from, to) -> {
            for (int row = from; row < to; row++) {
                normalizeRow(x, y, row * n, n, eps);
            }
        });
    }

    private static void normalizeRow(FloatBuffer x, FloatBuffer y, int start, int n, double eps) {
        // Squares summed in float64: float32 would overflow past |x| ~ 1.8e19 and lose digits on long rows.
        double squares = 0;
        for (int i = start; i < start + n; i++) {
            double value = x.get(i);
            squares += value * value;
        }
        double divisor = Math.max(Math.sqrt(squares), eps);
        for (int i = start; i < start + n; i++) {
            y.put(i, (float) (x.get(i) / divisor));
        }
    }
}
