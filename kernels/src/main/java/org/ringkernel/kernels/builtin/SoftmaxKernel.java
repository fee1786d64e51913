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
 * {@code softmax}: per row (slice along the last axis) {@code exp(x - max) / Σ exp(x - max)}.
 *
 * <p>A logit of {@code -Infinity} is a mask: it gets probability 0 and takes nothing from the others. A row
 * whose every logit is masked has no distribution and gives all zeros, so masked-out rows add nothing
 * downstream. NaN and {@code +Infinity} are rejected when the request is bound.
 *
 * <p>Cost ({@link BuiltinCosts}): 5n flops and 12n bytes for n elements (each row is read twice).
 */
public final class SoftmaxKernel implements CpuKernel {
    /** The kernel's id in the catalogue. */
    public static final String ID = "softmax";

    private static final KernelDefinition DEFINITION = BuiltinDefinition.of(ID,
            "per row exp(x - max) / sum(exp(x - max)); -inf logits get 0, a row of only -inf gives all zeros",
            new KernelSignature(
                    List.of(TensorSpec.required("x", "[..., n]")),
                    List.of(TensorSpec.required("y", "same as x")),
                    List.of(), InputValues.FINITE_OR_NEGATIVE_INFINITY, ShapeRule.elementwise())
                    .withCost(BuiltinCosts.perElement(5, 12)),
            new SoftmaxKernel());

    private SoftmaxKernel() {
    }

    /** The kernel's definition for the catalogue. */
    public static KernelDefinition definition() {
        return DEFINITION;
    }

    @Override
    public void execute(KernelCall call) {
        int n = call.inputDim(0, -1);
        FloatBuffer x = call.input(0);
        FloatBuffer y = call.output(0);
        int rows = x.limit() / n;
        Parallel.forRange(rows, x.limit(), (from, to) -> {
            double[] exps = new double[n];
            for (int row = from; row < to; row++) {
                softmaxRow(x, y, row * n, exps);
            }
        });
    }

    private static void softmaxRow(FloatBuffer x, FloatBuffer y, int start, double[] exps) {
        int n = exps.length;
        float max = x.get(start);
        for (int j = 1; j < n; j++) {
            max = Math.max(max, x.get(start + j));
        }
        if (max == Float.NEGATIVE_INFINITY) {
            // Every logit masked: exp(-inf - -inf) would be NaN.
            for (int j = 0; j < n; j++) {
                y.put(start + j, 0f);
            }
            return;
        }
        // Shifting by the row max keeps every exponent <= 0, so exp never overflows and the sum is >= 1.
        double sum = 0;
        for (int j = 0; j < n; j++) {
            exps[j] = Math.exp((double) x.get(start + j) - max);
            sum += exps[j];
        }
        for (int j = 0; j < n; j++) {
            y.put(start + j, (float) (exps[j] / sum));
        }
    }
}
