package org.ringkernel.kernels.builtin;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import org.ringkernel.bridge.kernel.CpuKernel;
import org.ringkernel.bridge.kernel.InputValues;
import org.ringkernel.bridge.kernel.KernelCall;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelSignature;
import org.ringkernel.bridge.kernel.ShapeCheck;
import org.ringkernel.bridge.kernel.TensorSpec;

/**
 * {@code matmul}: {@code c = a · b} for {@code a [m, k]} and {@code b [k, n]}.
 *
 * <p>Rows of {@code c} are computed in i-k-j order into a float64 accumulator row, so the inner loop walks
 * {@code b} and the accumulator with unit stride; large products split their rows across the common pool.
 *
 * <p>Cost ({@link BuiltinCosts}): 2mkn flops; on one ring block each 64 × 64 tile of c reads a strip of a and
 * of b, {@code 4(mk⌈n/64⌉ + kn⌈m/64⌉ + mn)} bytes.
 */
public final class MatmulKernel implements CpuKernel {
    /** The kernel's id in the catalogue. */
    public static final String ID = "matmul";

    private static final int A = 0;
    private static final int B = 1;

    private static final KernelDefinition DEFINITION = BuiltinDefinition.launched(ID,
            "c = a . b for a [m, k] and b [k, n]",
            new KernelSignature(
                    List.of(TensorSpec.required("a", "[m, k]"), TensorSpec.required("b", "[k, n]")),
                    List.of(TensorSpec.required("c", "[m, n]")),
                    List.of(), InputValues.FINITE, MatmulKernel::outputShapes)
                    .withCost(BuiltinCosts.matmul()),
            new MatmulKernel());

    private MatmulKernel() {
    }

    /** The kernel's definition for the catalogue. */
    public static KernelDefinition definition() {
        return DEFINITION;
    }

    private static int[][] outputShapes(ShapeCheck check) {
        check.requireRank(A, 2, 2);
        check.requireRank(B, 2, 2);
        check.requireDim(B, 0, check.dim(A, 1), "the columns of 'a'");
        return new int[][] {{check.dim(A, 0), check.dim(B, 1)}};
    }

    @Override
    public void execute(KernelCall call) {
        int m = call.inputDim(A, 0);
        int k = call.inputDim(A, 1);
        int n = call.inputDim(B, 1);
        FloatBuffer a = call.input(A);
        float[] b = Buffers.toArray(call.input(B));
        FloatBuffer c = call.output(0);
        Parallel.forRange(m, (long) m * n * k, (from, to) -> multiplyRows(a, b, c, from, to, k, n));
    }

    private static void multiplyRows(FloatBuffer a, float[] b, FloatBuffer c, int from, int to, int k, int n) {
        double[] row = new double[n];
        for (int i = from; i < to; i++) {
            Arrays.fill(row, 0.0);
            for (int p = 0; p < k; p++) {
                double aip = a.get(i * k + p);
                int bRow = p * n;
                for (int j = 0; j < n; j++) {
                    row[j] += aip * b[bRow + j];
                }
            }
            int cRow = i * n;
            for (int j = 0; j < n; j++) {
                c.put(cRow + j, (float) row[j]);
            }
        }
    }
}
