package org.ringkernel.data.tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.ringkernel.bridge.kernel.KernelDefinition;

/**
 * The stages a {@link TensorPipeline} chains, each run by a kernel: the built-in {@code matmul},
 * {@code softmax}, {@code layer_norm} and {@code attention}, and custom kernels by id or by definition.
 *
 * <p>Each stage's shape rule is the kernel's own, so a misfit is found before anything is sent:
 *
 * <table class="striped">
 *   <caption>Shapes of the stages (the running array is {@code x})</caption>
 *   <thead><tr><th>Stage</th><th>Kernel</th><th>{@code x}</th><th>Fixed arrays</th><th>Output</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@link #matmul}</td><td>{@code matmul}</td><td>{@code [..., k]}</td>
 *       <td>weights {@code [k, n]}</td><td>{@code [..., n]}</td></tr>
 *     <tr><td>{@link #softmax}</td><td>{@code softmax}</td><td>any</td><td>none</td>
 *       <td>as {@code x}, per row along the last axis</td></tr>
 *     <tr><td>{@link #layerNorm}</td><td>{@code layer_norm}</td><td>{@code [..., n]}</td>
 *       <td>gamma and beta {@code [n]}, or none</td><td>as {@code x}</td></tr>
 *     <tr><td>{@link #attention}</td><td>{@code attention}</td><td>queries {@code [s, d]}</td>
 *       <td>keys {@code [t, d]}, values {@code [t, e]}</td><td>{@code [s, e]}</td></tr>
 *     <tr><td>{@link #kernel}</td><td>any</td><td>any</td><td>each as {@code x}</td><td>as {@code x}</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>A {@code matmul} of a running array of rank 3 or 4 folds its leading axes into rows for the kernel and
 * unfolds them in the output, so {@code [batch, seq, k] · [k, n]} gives {@code [batch, seq, n]}.
 */
public final class Ops {
    private Ops() {
    }

    /**
     * {@code x · weights}.
     *
     * @param weights the right operand, {@code [k, n]}
     * @return the stage
     * @throws IllegalArgumentException when {@code weights} is not of rank 2
     */
    public static TensorStage matmul(NdArray weights) {
        requireRank("weights", weights, 2);
        int k = weights.dim(0);
        int n = weights.dim(1);
        return new TensorStage("matmul(weights " + Arrays.toString(weights.shape()) + ")", "matmul",
                Optional.empty(), List.of(weights), Map.of(), true, x -> {
                    if (x[1] != k) {
                        throw new IllegalArgumentException("its last dimension is " + x[1]
                                + " but the weights " + Arrays.toString(weights.shape()) + " have " + k + " rows");
                    }
                    return new int[] {x[0], n};
                });
    }

    /**
     * Softmax of each row, along the last axis; {@code -Infinity} entries are masked out (see the
     * {@code softmax} kernel).
     *
     * @return the stage
     */
    public static TensorStage softmax() {
        return new TensorStage("softmax", "softmax", Optional.empty(), List.of(), Map.of(), false, int[]::clone);
    }

    /**
     * Layer normalisation of each row along the last axis, without scale or shift.
     *
     * @param eps added to the variance before the square root, in {@code [1e-30, 1]}
     * @return the stage
     * @throws IllegalArgumentException when {@code eps} is outside its range
     */
    public static TensorStage layerNorm(double eps) {
        requireEps(eps);
        return new TensorStage("layer_norm(eps=" + eps + ")", "layer_norm", Optional.empty(), List.of(),
                Map.of("eps", eps), false, int[]::clone);
    }

    /**
     * Layer normalisation of each row along the last axis, scaled by {@code gamma} and shifted by {@code beta}.
     *
     * @param gamma the scale per column, {@code [n]}
     * @param beta the shift per column, {@code [n]}
     * @param eps added to the variance before the square root, in {@code [1e-30, 1]}
     * @return the stage
     * @throws IllegalArgumentException when gamma or beta is not of rank 1, their lengths differ, or {@code eps}
     *     is outside its range
     */
    public static TensorStage layerNorm(NdArray gamma, NdArray beta, double eps) {
        requireRank("gamma", gamma, 1);
        requireRank("beta", beta, 1);
        requireEps(eps);
        int n = gamma.dim(0);
        if (beta.dim(0) != n) {
            throw new IllegalArgumentException("layer_norm: gamma has " + n + " elements but beta has "
                    + beta.dim(0));
        }
        return new TensorStage("layer_norm(gamma [" + n + "], beta [" + n + "], eps=" + eps + ")", "layer_norm",
                Optional.empty(), List.of(gamma, beta), Map.of("eps", eps), false, x -> {
                    if (x[x.length - 1] != n) {
                        throw new IllegalArgumentException("its last dimension is " + x[x.length - 1]
                                + " but gamma and beta have " + n + " elements");
                    }
                    return x.clone();
                });
    }

    /**
     * Scaled dot-product attention of the running queries over fixed keys and values, scaled by
     * {@code 1/sqrt(d)}, every query seeing every key.
     *
     * @param keys {@code [t, d]}
     * @param values {@code [t, e]}
     * @return the stage
     * @throws IllegalArgumentException when keys or values are not of rank 2 or have different row counts
     */
    public static TensorStage attention(NdArray keys, NdArray values) {
        return attention(keys, values, 0, false);
    }

    /**
     * Scaled dot-product attention of the running queries over fixed keys and values.
     *
     * @param keys {@code [t, d]}
     * @param values {@code [t, e]}
     * @param scale the factor of {@code q kᵀ}, 0 for {@code 1/sqrt(d)}, at most {@code 1e6}
     * @param causal whether query {@code i} sees only keys {@code j <= i}
     * @return the stage
     * @throws IllegalArgumentException when keys or values are not of rank 2, have different row counts, or
     *     {@code scale} is outside {@code [0, 1e6]}
     */
    public static TensorStage attention(NdArray keys, NdArray values, double scale, boolean causal) {
        requireRank("keys", keys, 2);
        requireRank("values", values, 2);
        if (!(scale >= 0 && scale <= 1e6)) {
            throw new IllegalArgumentException("attention: scale is " + scale + ", must be 0 (for 1/sqrt(d)) to 1e6");
        }
        int t = keys.dim(0);
        int d = keys.dim(1);
        int e = values.dim(1);
        if (values.dim(0) != t) {
            throw new IllegalArgumentException("attention: keys " + Arrays.toString(keys.shape()) + " and values "
                    + Arrays.toString(values.shape()) + " have different row counts");
        }
        String name = "attention(keys [" + t + ", " + d + "], values [" + t + ", " + e + "]"
                + (scale == 0 ? "" : ", scale=" + scale) + (causal ? ", causal" : "") + ")";
        return new TensorStage(name, "attention", Optional.empty(), List.of(keys, values),
                Map.of("scale", scale, "causal", causal ? 1.0 : 0.0), false, q -> {
                    if (q.length != 2) {
                        throw new IllegalArgumentException("the queries must be of rank 2 [s, d]");
                    }
                    if (q[1] != d) {
                        throw new IllegalArgumentException("the queries have " + q[1] + " columns but the keys "
                                + Arrays.toString(keys.shape()) + " have " + d);
                    }
                    return new int[] {q[0], e};
                });
    }

    /**
     * A stage running the kernel of this id, registered or built in, as an element-wise kernel: the running array
     * first, then {@code others}, each of the running array's shape; the output has that shape too. Params are
     * added with {@link TensorStage#withParam}.
     *
     * @param kernelId the kernel's id
     * @param others further inputs after the running array
     * @return the stage
     */
    public static TensorStage kernel(String kernelId, NdArray... others) {
        Objects.requireNonNull(kernelId, "kernelId");
        return custom(kernelId, Optional.empty(), others);
    }

    /**
     * As {@link #kernel(String, NdArray...)}, for a kernel that the stage registers the first time a pipeline
     * runs it on a system where no kernel has its id; where the same definition is registered already, that one
     * runs. Declare it with {@code KernelDefinition.elementwise(id)}, its CPU implementation by
     * {@code .cpu(...)} and its CUDA source by {@code .cuda(source, entry)}.
     *
     * @param definition the kernel
     * @param others further inputs after the running array
     * @return the stage
     */
    public static TensorStage kernel(KernelDefinition definition, NdArray... others) {
        Objects.requireNonNull(definition, "definition");
        return custom(definition.id(), Optional.of(definition), others);
    }

    private static TensorStage custom(String kernelId, Optional<KernelDefinition> definition, NdArray... others) {
        List<NdArray> fixed = List.of(others);
        return new TensorStage(kernelId, kernelId, definition, fixed, Map.of(), false, x -> {
            for (int i = 0; i < fixed.size(); i++) {
                if (!Arrays.equals(fixed.get(i).shape(), x)) {
                    throw new IllegalArgumentException("further input " + (i + 1) + " has shape "
                            + Arrays.toString(fixed.get(i).shape()) + "; an element-wise stage needs the running shape");
                }
            }
            return x.clone();
        });
    }

    private static void requireRank(String what, NdArray array, int rank) {
        Objects.requireNonNull(array, what);
        if (array.rank() != rank) {
            throw new IllegalArgumentException(what + " must be of rank " + rank + ", got shape "
                    + Arrays.toString(array.shape()));
        }
    }

    private static void requireEps(double eps) {
        if (!(eps >= 1e-30 && eps <= 1)) {
            throw new IllegalArgumentException("layer_norm: eps is " + eps + ", must be 1e-30 to 1");
        }
    }
}
