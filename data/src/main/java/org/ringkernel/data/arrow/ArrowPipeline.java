package org.ringkernel.data.arrow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.ringkernel.actors.RingKernels;

/**
 * Chains of kernels over the columns of a {@link VectorSchemaRoot}, each chain giving one new column:
 *
 * <pre>{@code
 * ArrowPipeline pipeline = ArrowPipeline.on(ringKernels)
 *         .column("x").then("square").then("saxpy", Map.of("alpha", 2.0), "y").as("z")
 *         .column("y").then("square").as("y2")
 *         .build();
 * try (VectorSchemaRoot derived = pipeline.run(frame).toCompletableFuture().get()) {
 *     // derived holds z = 2 * x^2 + y and y2 = y^2, one row per row of frame
 * }
 * }</pre>
 *
 * <p>A chain starts from a column and runs its stages in order, the value so far being each kernel's first input;
 * a stage's further inputs are named columns: of the frame, or made by an earlier chain of the pipeline. Kernels
 * run as {@link ArrowKernels} runs them (element-wise ones in chunks, nulls carried through). Every chain must keep
 * the frame's row count, so that its result is a column of the frame's rows.
 *
 * <p>{@link #run} gives a new root holding only the new columns, in the order of their chains; the caller closes
 * it. The frame is read, never changed, and must stay open until the stage completes.
 */
public final class ArrowPipeline {
    private final ArrowKernels kernels;
    private final List<Chain> chains;

    private ArrowPipeline(ArrowKernels kernels, List<Chain> chains) {
        this.kernels = kernels;
        this.chains = List.copyOf(chains);
    }

    /** A pipeline over the kernels of {@code kernels}, the built-in element-wise kernels chunked. */
    public static Builder on(RingKernels kernels) {
        return new Builder(ArrowKernels.on(kernels));
    }

    /** A pipeline over {@code kernels}, with whichever kernels it takes as element-wise. */
    public static Builder on(ArrowKernels kernels) {
        return new Builder(Objects.requireNonNull(kernels, "kernels"));
    }

    /** The chains, in the order they run. */
    public List<Chain> chains() {
        return chains;
    }

    /**
     * Runs every chain over {@code frame}; the stage completes with a new root of the new columns, or fails with
     * the first chain's {@link ColumnException}, every column made so far closed.
     */
    public CompletionStage<VectorSchemaRoot> run(VectorSchemaRoot frame) {
        Map<String, FieldVector> made = new LinkedHashMap<>();
        CompletionStage<Void> all = CompletableFuture.completedFuture(null);
        for (Chain chain : chains) {
            all = all.thenCompose(ignored -> runChain(chain, frame, made))
                    .thenAccept(column -> made.put(chain.name(), column));
        }
        return all.handle((ignored, error) -> {
            if (error != null) {
                made.values().forEach(FieldVector::close);
                throw error instanceof RuntimeException runtime ? runtime
                        : new ColumnException(error.getMessage(), error);
            }
            return new VectorSchemaRoot(new ArrayList<>(made.values()));
        });
    }

    private CompletionStage<FieldVector> runChain(Chain chain, VectorSchemaRoot frame, Map<String, FieldVector> made) {
        FieldVector source = column(chain.source(), chain, frame, made);
        CompletionStage<FieldVector> value = CompletableFuture.completedFuture(source);
        for (int s = 0; s < chain.stages().size(); s++) {
            Stage stage = chain.stages().get(s);
            boolean last = s == chain.stages().size() - 1;
            value = value.thenCompose(input -> {
                FieldVector[] inputs = new FieldVector[stage.columns().size() + 1];
                inputs[0] = input;
                for (int i = 0; i < stage.columns().size(); i++) {
                    inputs[i + 1] = column(stage.columns().get(i), chain, frame, made);
                }
                String name = last ? chain.name() : chain.name() + "." + stage.kernelId();
                return kernels.apply(stage.kernelId(), stage.params(), name, inputs)
                        .whenComplete((output, error) -> {
                            // A stage's input made by the stage before it is no one else's to close.
                            if (input != source) {
                                input.close();
                            }
                        });
            });
        }
        return value.thenApply(output -> {
            if (output.getValueCount() != frame.getRowCount()) {
                ColumnException error = new ColumnException("chain '" + chain.name() + "' gives "
                        + output.getValueCount() + " values but the frame has " + frame.getRowCount()
                        + " rows; a pipeline makes columns of the frame's rows");
                output.close();
                throw error;
            }
            return output;
        });
    }

    private static FieldVector column(String name, Chain chain, VectorSchemaRoot frame, Map<String, FieldVector> made) {
        FieldVector earlier = made.get(name);
        if (earlier != null) {
            return earlier;
        }
        FieldVector column = frame.getVector(name);
        if (column == null) {
            List<String> known = new ArrayList<>();
            frame.getFieldVectors().forEach(v -> known.add(v.getName()));
            known.addAll(made.keySet());
            throw new ColumnException("chain '" + chain.name() + "' reads column '" + name
                    + "', which the frame does not have; it has " + String.join(", ", known));
        }
        return column;
    }

    /**
     * One kernel of a chain.
     *
     * @param kernelId the kernel
     * @param params its params by name
     * @param columns the columns it takes after the value so far, by name
     */
    public record Stage(String kernelId, Map<String, Double> params, List<String> columns) {
        /** Checks the stage; params and columns are copied. */
        public Stage {
            Objects.requireNonNull(kernelId, "kernelId");
            params = Map.copyOf(params);
            columns = List.copyOf(columns);
        }
    }

    /**
     * A column's chain of kernels.
     *
     * @param source the column it starts from
     * @param stages the kernels, in order, at least one
     * @param name the name of the column it makes
     */
    public record Chain(String source, List<Stage> stages, String name) {
        /**
         * Checks the chain; the stages are copied.
         *
         * @throws IllegalArgumentException when it has no stage
         */
        public Chain {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(name, "name");
            stages = List.copyOf(stages);
            if (stages.isEmpty()) {
                throw new IllegalArgumentException("the chain from column '" + source + "' to '" + name
                        + "' has no kernel; add one with then(kernelId)");
            }
        }
    }

    /** Declares chains; each starts with {@link #column} and ends with {@link ChainBuilder#as}. */
    public static final class Builder {
        private final ArrowKernels kernels;
        private final List<Chain> chains = new ArrayList<>();

        private Builder(ArrowKernels kernels) {
            this.kernels = kernels;
        }

        /** Starts a chain from column {@code source}, of the frame or made by an earlier chain. */
        public ChainBuilder column(String source) {
            return new ChainBuilder(this, Objects.requireNonNull(source, "source"));
        }

        /**
         * The pipeline.
         *
         * @throws IllegalStateException when no chain was declared or two chains make columns of the same name
         */
        public ArrowPipeline build() {
            if (chains.isEmpty()) {
                throw new IllegalStateException("a pipeline has at least one chain: column(name).then(kernel).as(name)");
            }
            List<String> names = new ArrayList<>();
            for (Chain chain : chains) {
                if (names.contains(chain.name())) {
                    throw new IllegalStateException("two chains make column '" + chain.name() + "'");
                }
                names.add(chain.name());
            }
            return new ArrowPipeline(kernels, chains);
        }
    }

    /** The stages of one chain, being declared. */
    public static final class ChainBuilder {
        private final Builder pipeline;
        private final String source;
        private final List<Stage> stages = new ArrayList<>();

        private ChainBuilder(Builder pipeline, String source) {
            this.pipeline = pipeline;
            this.source = source;
        }

        /** Runs kernel {@code kernelId} on the value so far, with its default params. */
        public ChainBuilder then(String kernelId) {
            return then(kernelId, Map.of());
        }

        /**
         * Runs kernel {@code kernelId} on the value so far and then the named {@code columns}, with {@code params}.
         */
        public ChainBuilder then(String kernelId, Map<String, Double> params, String... columns) {
            stages.add(new Stage(kernelId, params, List.of(columns)));
            return this;
        }

        /**
         * Ends the chain: its result is the column {@code name}.
         *
         * @throws IllegalArgumentException when no stage was declared
         */
        public Builder as(String name) {
            pipeline.chains.add(new Chain(source, stages, name));
            return pipeline;
        }
    }
}
