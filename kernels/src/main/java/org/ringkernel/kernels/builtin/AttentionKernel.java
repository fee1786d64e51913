package org.ringkernel.kernels.builtin;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import org.ringkernel.bridge.kernel.CpuKernel;
import org.ringkernel.bridge.kernel.InputValues;
import org.ringkernel.bridge.kernel.KernelCall;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelSignature;
import org.ringkernel.bridge.kernel.ParamSpec;
import org.ringkernel.bridge.kernel.ShapeCheck;
import org.ringkernel.bridge.kernel.TensorSpec;

/**
 * {@code attention}: {@code softmax(scale · q kᵀ) v} for {@code q [s, d]}, {@code k [t, d]} and
 * {@code v [t, e]}; a {@code scale} of 0 means {@code 1/sqrt(d)}, and with {@code causal = 1} query {@code i}
 * sees keys {@code j <= i} only.
 *
 * <p>Each query row is computed on its own with a max-shifted softmax in float64; long sequences split their
 * query rows across the common pool.
 *
 * <p>Cost ({@link BuiltinCosts}): with p (query, visible key) pairs ({@code s·t}, about half with
 * {@code causal}), {@code p(4d + 2e)} flops and {@code 4p(2d + e)} bytes plus the inputs and output once: the
 * ring code computes each score twice, reading k twice and v once per pair.
 */
public final class AttentionKernel implements CpuKernel {
    /** The kernel's id in the catalogue. */
    public static final String ID = "attention";

    private static final int Q = 0;
    private static final int K = 1;
    private static final int V = 2;

    private static final KernelDefinition DEFINITION = BuiltinDefinition.launched(ID,
            "softmax(scale * q k^T) v, optionally causal",
            new KernelSignature(
                    List.of(TensorSpec.required("q", "[s, d]"), TensorSpec.required("k", "[t, d]"),
                            TensorSpec.required("v", "[t, e]")),
                    List.of(TensorSpec.required("out", "[s, e]")),
                    List.of(ParamSpec.range("scale", 0, 0, 1e6, "the factor of q k^T; 0 means 1/sqrt(d)"),
                            ParamSpec.integral("causal", 0, 0, 1, "1 lets query i see keys j <= i only")),
                    InputValues.FINITE, AttentionKernel::outputShapes)
                    .withCost(BuiltinCosts.attention()),
            new AttentionKernel());

    private AttentionKernel() {
    }

    /** The kernel's definition for the catalogue. */
    public static KernelDefinition definition() {
        return DEFINITION;
    }

    private static int[][] outputShapes(ShapeCheck check) {
        check.requireRank(Q, 2, 2);
        check.requireRank(K, 2, 2);
        check.requireRank(V, 2, 2);
        check.requireDim(K, 1, check.dim(Q, 1), "the columns of 'q'");
        check.requireDim(V, 0, check.dim(K, 0), "the rows of 'k'");
        return new int[][] {{check.dim(Q, 0), check.dim(V, 1)}};
    }

    @Override
    public void execute(KernelCall call) {
        int s = call.inputDim(Q, 0);
        int d = call.inputDim(Q, 1);
        int t = call.inputDim(K, 0);
        int e = call.inputDim(V, 1);
        float scale = call.param(0);
        Problem problem = new Problem(Buffers.toArray(call.input(K)), Buffers.toArray(call.input(V)), d, t, e,
                scale == 0f ? 1.0 / Math.sqrt(d) : scale, call.param(1) != 0f);
        FloatBuffer q = call.input(Q);
        FloatBuffer out = call.output(0);
        Parallel.forRange(s, (long) s * t * (d + e), (from, to) -> {
            float[] query = new float[d];
            double[] weights = new double[t];
            double[] row = new double[e];
            for (int i = from; i < to; i++) {
                q.get(i * d, query);
                attend(problem, i, query, weights, row);
                for (int c = 0; c < e; c++) {
                    out.put(i * e + c, (float) row[c]);
                }
            }
        });
    }

    /** The keys, values, sizes and params that every query row shares. */
    private record Problem(float[] k, float[] v, int d, int t, int e, double scale, boolean causal) {
    }

    /** Computes the output row of query {@code i} into {@code row}, using {@code weights} as scratch. */
    private static void attend(Problem problem, int i, float[] query, double[] weights, double[] row) {
        float[] k = problem.k();
        float[] v = problem.v();
        int d = problem.d();
        int e = problem.e();
        int visible = problem.causal() ? Math.min(i + 1, problem.t()) : problem.t();
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < visible; j++) {
            double dot = 0;
            for (int c = 0; c < d; c++) {
                dot += (double) query[c] * k[j * d + c];
            }
            weights[j] = problem.scale() * dot;
            max = Math.max(max, weights[j]);
        }
        // Every query sees key 0 at least, and the shift makes the largest weight exp(0) = 1: the sum is >= 1.
        double sum = 0;
        for (int j = 0; j < visible; j++) {
            weights[j] = Math.exp(weights[j] - max);
            sum += weights[j];
        }
        Arrays.fill(row, 0.0);
        for (int j = 0; j < visible; j++) {
            double weight = weights[j] / sum;
            for (int c = 0; c < e; c++) {
                row[c] += weight * v[j * e + c];
            }
        }
    }
}
