package org.ringkernel.data.tensor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * A chain of {@link TensorStage}s, each run by its kernel on the previous stage's output:
 *
 * <pre>{@code
 * TensorPipeline pipeline = TensorPipeline.on(RingKernels.get(system))
 *         .then(Ops.matmul(weights))
 *         .then(Ops.layerNorm(1e-5))
 *         .then(Ops.softmax());
 * CompletionStage<NdArray> probabilities = pipeline.run(input);
 * }</pre>
 *
 * <p>Before it sends anything, {@link #run} checks every stage's shapes from the input's on and finds every
 * stage's kernel, starting a built-in one that is not running and registering a stage's own definition; a
 * misfit throws a {@link TensorShapeException} naming the stage, its position and the shapes. A kernel that
 * fails a request fails the run with a {@link TensorStageException} naming the stage, and the stages after it
 * do not run. A pipeline is immutable: {@link #then} gives a new one.
 */
public final class TensorPipeline {
    private final RingKernels kernels;
    private final List<TensorStage> stages;
    private final Optional<Duration> timeout;

    private TensorPipeline(RingKernels kernels, List<TensorStage> stages, Optional<Duration> timeout) {
        this.kernels = kernels;
        this.stages = List.copyOf(stages);
        this.timeout = timeout;
    }

    /**
     * An empty pipeline running its stages on {@code kernels}; run with no stages, it gives its input back.
     *
     * @param kernels the RingKernels extension of the actor system, {@code RingKernels.get(system)}
     * @return the pipeline
     */
    public static TensorPipeline on(RingKernels kernels) {
        return new TensorPipeline(Objects.requireNonNull(kernels, "kernels"), List.of(), Optional.empty());
    }

    /**
     * This pipeline with {@code stage} added at the end.
     *
     * @param stage the stage, from {@link Ops}
     * @return the new pipeline
     */
    public TensorPipeline then(TensorStage stage) {
        List<TensorStage> more = new ArrayList<>(stages);
        more.add(Objects.requireNonNull(stage, "stage"));
        return new TensorPipeline(kernels, more, timeout);
    }

    /**
     * This pipeline giving each stage's request {@code perStage} to complete, instead of the configured
     * {@code ringkernel.request-timeout}.
     *
     * @param perStage the deadline of each stage's request
     * @return the new pipeline
     * @throws IllegalArgumentException when {@code perStage} is not positive
     */
    public TensorPipeline timeout(Duration perStage) {
        if (perStage.isNegative() || perStage.isZero()) {
            throw new IllegalArgumentException("a stage's timeout must be positive, got " + perStage);
        }
        return new TensorPipeline(kernels, stages, Optional.of(perStage));
    }

    /**
     * The stages, in order.
     *
     * @return an unmodifiable list
     */
    public List<TensorStage> stages() {
        return stages;
    }

    /**
     * The shape this pipeline gives for an input of {@code inputShape}, checked stage by stage as {@link #run}
     * checks it; nothing is sent.
     *
     * @param inputShape the input's shape
     * @return the output shape
     * @throws TensorShapeException naming the first stage that cannot take the shape it would get
     */
    public int[] outputShape(int... inputShape) {
        return shapes(inputShape.clone())[stages.size()];
    }

    /** The running shape before each stage and after the last; throws naming the first stage that does not fit. */
    private int[][] shapes(int[] inputShape) {
        int[][] shapes = new int[stages.size() + 1][];
        shapes[0] = inputShape;
        for (int s = 0; s < stages.size(); s++) {
            try {
                shapes[s + 1] = stages.get(s).output(shapes[s]);
            } catch (IllegalArgumentException e) {
                throw new TensorShapeException(s + 1, stages.size(), stages.get(s).name(), shapes[s], e.getMessage());
            }
        }
        return shapes;
    }

    /**
     * Runs the stages on {@code input}, each on the previous one's output.
     *
     * @param input the first stage's running array
     * @return the last stage's output; fails with a {@link TensorStageException} naming the stage whose kernel
     *     failed, its cause the kernel's {@code KernelRequestException}
     * @throws TensorShapeException before anything is sent, naming the first stage that cannot take its shape
     * @throws TensorStageException before anything is sent, naming a stage whose kernel is unknown, clashes with
     *     a registered kernel of its id, or cannot start
     */
    public CompletionStage<NdArray> run(NdArray input) {
        Objects.requireNonNull(input, "input");
        int[][] shapes = shapes(input.shape());
        List<KernelRef> refs = new ArrayList<>(stages.size());
        for (int s = 0; s < stages.size(); s++) {
            try {
                refs.add(stages.get(s).resolve(kernels));
            } catch (RuntimeException e) {
                throw new TensorStageException(s + 1, stages.size(), stages.get(s).name(), e.getMessage(), e);
            }
        }
        CompletableFuture<NdArray> running = CompletableFuture.completedFuture(input);
        for (int s = 0; s < stages.size(); s++) {
            int stage = s;
            running = running.thenCompose(array -> runStage(stage, refs.get(stage), array, shapes[stage + 1]));
        }
        return running;
    }

    private CompletableFuture<NdArray> runStage(int s, KernelRef ref, NdArray input, int[] outputShape) {
        TensorStage stage = stages.get(s);
        Duration deadline = timeout.orElse(ref.requestTimeout());
        return ref.process(stage.request(input), deadline).toCompletableFuture().handle((result, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                throw new TensorStageException(s + 1, stages.size(), stage.name(), cause.getMessage(), cause);
            }
            Tensor output = result.outputs().get(0);
            int[] expected = stage.kernelOutputShape(input.shape());
            if (!Arrays.equals(output.shape(), expected)) {
                throw new TensorStageException(s + 1, stages.size(), stage.name(), "kernel '" + stage.kernelId()
                        + "' gave shape " + Arrays.toString(output.shape()) + " where the stage expects "
                        + Arrays.toString(expected), null);
            }
            return NdArray.of(output).reshape(outputShape);
        });
    }

    /**
     * Runs the stages on {@code input} and waits for the result: {@link #run}, blocking.
     *
     * @param input the first stage's running array
     * @param wait how long to wait for the whole pipeline
     * @return the last stage's output
     * @throws TensorShapeException before anything is sent, naming the first stage that cannot take its shape
     * @throws TensorStageException naming the stage whose kernel failed, or was unknown
     * @throws IllegalStateException when the result does not come within {@code wait}, or the wait is
     *     interrupted
     */
    public NdArray runAndWait(NdArray input, Duration wait) {
        return await(run(input), wait);
    }

    /** Waits for {@code result}, unwrapping the stage's own exceptions. */
    static NdArray await(CompletionStage<NdArray> result, Duration wait) {
        try {
            return result.toCompletableFuture().get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a tensor result", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no tensor result within " + wait, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public String toString() {
        return "TensorPipeline" + stages.stream().map(TensorStage::name).toList();
    }
}
