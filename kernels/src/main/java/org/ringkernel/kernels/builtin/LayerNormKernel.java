package org.ringkernel.kernels.builtin;

import java.nio.FloatBuffer;
import org.ringkernel.bridge.kernel.CpuKernel;
import org.ringkernel.bridge.kernel.KernelCall;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.ShapeCheck;

/**
 * {@code layer_norm}: per row (slice along the last axis) {@code (x - mean) / sqrt(var + eps) * gamma + beta}
 * with the population variance; a missing {@code gamma} is 1 and a missing {@code beta} is 0.
 *
 * <p>Cost ({@link BuiltinCosts}): 8n flops and 12n bytes for n elements of x (read twice), plus 4n bytes
 * for each of gamma and beta given (read once per row).
 */
public final class LayerNormKernel implements CpuKernel {
    /** The kernel's id in the catalogue. */
    public static final String ID = "layer_norm";

    private static final int X = 0;
    private static final int GAMMA = 1;
    private static final int BETA = 2;

    private static final KernelDefinition DEFINITION = KernelDefinition.builder(ID)
            .describedAs("per row (x - mean) / sqrt(var + eps) * gamma + beta, population variance")
            .input("x", "[..., n]")
            .optionalInput("gamma", "[n]")
            .optionalInput("beta", "[n]")
            .output("y", "same as x")
            .param("eps", 1e-5, 1e-30, 1, "added to the variance before the square root")
            .shapes(LayerNormKernel::outputShapes)
            .cost(BuiltinCosts.layerNorm())
            .cpu(new LayerNormKernel())
            .cuda(BuiltinDefinition.persistent(ID))
            .build();

    private LayerNormKernel() {
    }

    /** The kernel's definition for the catalogue. */
    public static KernelDefinition definition() {
        return DEFINITION;
    }

    private static int[][] outputShapes(ShapeCheck check) {
        int n = check.dim(X, -1);
        for (int input = GAMMA; input <= BETA && check.present(input); input++) {
            check.requireRank(input, 1, 1);
            check.requireDim(input, 0, n, "the last dimension of 'x'");
        }
        return new int[][] {check.shape(X)};
    }

    @Override
    public void execute(KernelCall call) {
        double eps = call.param(0);
        int n = call.inputDim(X, -1);
        FloatBuffer x = call.input(X);
        FloatBuffer gamma = call.inputCount() > GAMMA ? call.input(GAMMA) : null;
        FloatBuffer beta = call.inputCount() > BETA ? call.input(BETA) : null;
        FloatBuffer y = call.output(0);
        int rows = x.limit() / n;
        Parallel.forRange(rows, x.limit(), (from, to) -> {
            for (int row = from; row < to; row++) {
                normalizeRow(x, gamma, beta, y, row * n, n, eps);
            }
        });
    }

    private static void normalizeRow(FloatBuffer x, FloatBuffer gamma, FloatBuffer beta, FloatBuffer y,
                                     int start, int n, double eps) {
        // Two passes in float64: the textbook E[x²] - E[x]² cancels catastrophically when |mean| >> std.
        double sum = 0;
        for (int j = 0; j < n; j++) {
            sum += x.get(start + j);
        }
        double mean = sum / n;
        double squares = 0;
        for (int j = 0; j < n; j++) {
            double deviation = x.get(start + j) - mean;
            squares += deviation * deviation;
        }
        double inverseStd = 1.0 / Math.sqrt(squares / n + eps);
        for (int j = 0; j < n; j++) {
            double value = (x.get(start + j) - mean) * inverseStd;
            if (gamma != null) {
                value *= gamma.get(j);
            }
            if (beta != null) {
                value += beta.get(j);
            }
            y.put(start + j, (float) value);
        }
    }
}
