package org.ringkernel.data.tensor;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.ringkernel.actors.RingKernels;

/**
 * Single tensor operations, each run by its kernel: a pipeline of one stage, with the same shape checks before
 * sending and the same errors ({@link TensorShapeException}, {@link TensorStageException}).
 *
 * <pre>{@code
 * TensorOps ops = TensorOps.on(RingKernels.get(system));
 * NdArray c = TensorOps.await(ops.matmul(a, b), Duration.ofSeconds(10));
 * }</pre>
 */
public final class TensorOps {
    private final RingKernels kernels;

    private TensorOps(RingKernels kernels) {
        this.kernels = kernels;
    }

    /**
     * Operations running on {@code kernels}.
     *
     * @param kernels the RingKernels extension of the actor system, {@code RingKernels.get(system)}
     * @return the operations
     */
    public static TensorOps on(RingKernels kernels) {
        return new TensorOps(Objects.requireNonNull(kernels, "kernels"));
    }

    /**
     * {@code a · b} ({@link Ops#matmul}).
     *
     * @param a {@code [..., k]}
     * @param b {@code [k, n]}
     * @return {@code [..., n]}
     * @throws TensorShapeException when the shapes do not fit
     */
    public CompletionStage<NdArray> matmul(NdArray a, NdArray b) {
        return apply(Ops.matmul(b), a);
    }

    /**
     * Softmax of each row along the last axis ({@link Ops#softmax}).
     *
     * @param x the logits
     * @return the probabilities, of {@code x}'s shape
     */
    public CompletionStage<NdArray> softmax(NdArray x) {
        return apply(Ops.softmax(), x);
    }

    /**
     * Layer normalisation of each row along the last axis ({@link Ops#layerNorm(double)}).
     *
     * @param x {@code [..., n]}
     * @param eps added to the variance, {@code [1e-30, 1]}
     * @return the normalised rows, of {@code x}'s shape
     */
    public CompletionStage<NdArray> layerNorm(NdArray x, double eps) {
        return apply(Ops.layerNorm(eps), x);
    }

    /**
     * Layer normalisation with scale and shift ({@link Ops#layerNorm(NdArray, NdArray, double)}).
     *
     * @param x {@code [..., n]}
     * @param gamma {@code [n]}
     * @param beta {@code [n]}
     * @param eps added to the variance, {@code [1e-30, 1]}
     * @return the normalised rows, of {@code x}'s shape
     * @throws TensorShapeException when gamma and beta do not match the last dimension of {@code x}
     */
    public CompletionStage<NdArray> layerNorm(NdArray x, NdArray gamma, NdArray beta, double eps) {
        return apply(Ops.layerNorm(gamma, beta, eps), x);
    }

    /**
     * {@code softmax(q kᵀ / sqrt(d)) v} ({@link Ops#attention(NdArray, NdArray)}).
     *
     * @param q {@code [s, d]}
     * @param k {@code [t, d]}
     * @param v {@code [t, e]}
     * @return {@code [s, e]}
     * @throws TensorShapeException when the shapes do not fit
     */
    public CompletionStage<NdArray> attention(NdArray q, NdArray k, NdArray v) {
        return apply(Ops.attention(k, v), q);
    }

    /**
     * {@code softmax(scale · q kᵀ) v}, optionally causal ({@link Ops#attention(NdArray, NdArray, double, boolean)}).
     *
     * @param q {@code [s, d]}
     * @param k {@code [t, d]}
     * @param v {@code [t, e]}
     * @param scale the factor of {@code q kᵀ}, 0 for {@code 1/sqrt(d)}
     * @param causal whether query {@code i} sees only keys {@code j <= i}
     * @return {@code [s, e]}
     * @throws TensorShapeException when the shapes do not fit
     */
    public CompletionStage<NdArray> attention(NdArray q, NdArray k, NdArray v, double scale, boolean causal) {
        return apply(Ops.attention(k, v, scale, causal), q);
    }

    /**
     * Runs one stage on {@code x}.
     *
     * @param stage the stage, from {@link Ops}
     * @param x its running array
     * @return the stage's output
     * @throws TensorShapeException when {@code x} does not fit the stage
     */
    public CompletionStage<NdArray> apply(TensorStage stage, NdArray x) {
        return TensorPipeline.on(kernels).then(stage).run(x);
    }

    /**
     * Waits for a tensor result, giving the stage's own exception rather than a wrapper.
     *
     * @param result an operation's or pipeline's result
     * @param wait how long to wait
     * @return the array
     * @throws TensorStageException naming the stage whose kernel failed
     * @throws IllegalStateException when the result does not come within {@code wait}, or the wait is
     *     interrupted
     */
    public static NdArray await(CompletionStage<NdArray> result, Duration wait) {
        return TensorPipeline.await(result, wait);
    }
}
