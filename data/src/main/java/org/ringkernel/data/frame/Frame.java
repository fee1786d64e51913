package org.ringkernel.data.frame;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.data.arrow.ArrowKernels;
import org.ringkernel.data.arrow.ColumnException;
import org.ringkernel.kernels.builtin.StatsKernel;

/**
 * A {@link VectorSchemaRoot} of float columns, summarised and combined on the kernels: per-column statistics
 * through the {@code stats} kernel, and element-wise column arithmetic ({@code add}, {@code saxpy}) giving new
 * columns.
 *
 * <p><b>Statistics.</b> A column goes to {@code stats} in chunks of rows. Null rows are left out of the chunks and
 * counted. {@code stats} answers in float32, whose mean carries an error of half a unit in its last place: at a
 * mean of 1e6 that is 0.03, which would swamp a standard deviation of 0.01 once chunk means are merged. So every
 * value is sent as its distance from a shift, the column's first non-null value (in float32 that subtraction is
 * exact for values within a factor of two of the shift, and for float64 columns it is done in float64): the
 * kernel's float32 answers are then small numbers near the spread, and the shift is added back in float64. The
 * chunks' count, mean and M2 are merged in float64 with Chan et al.'s pairwise update, which keeps the variance
 * when the mean dwarfs the spread. A value so far from the shift that the distance leaves float32's range is an
 * error naming the row. So the standard deviation keeps float32's relative precision, and the mean and sum carry
 * float32's relative error of the mean's distance from the shift (at most the column's spread), not of the mean;
 * a float64 column's min and max are the shift plus their distances rounded to float32.
 *
 * <p>The frame is read, never changed; the caller keeps it open until each stage completes, and closes the
 * columns {@link #add} and {@link #saxpy} give.
 */
public final class Frame {
    /** Chunks of one column in flight at once. */
    private static final int IN_FLIGHT = 4;

    /**
     * The most rows of one {@code stats} request: 1 MiB of float32, enough for the kernel to spread a request over
     * its threads, small enough that staging a chunk and copying it into the arena stay in the processor's caches.
     */
    private static final int MAX_CHUNK_ROWS = 1 << 18;

    private final VectorSchemaRoot root;
    private final ArrowKernels kernels;
    private final int ddof;

    private Frame(VectorSchemaRoot root, ArrowKernels kernels, int ddof) {
        this.root = root;
        this.kernels = kernels;
        this.ddof = ddof;
    }

    /** {@code root} on the kernels of {@code kernels}, with the population standard deviation (ddof 0). */
    public static Frame of(VectorSchemaRoot root, RingKernels kernels) {
        return of(root, ArrowKernels.on(kernels));
    }

    /** {@code root} on {@code kernels}, with the population standard deviation (ddof 0). */
    public static Frame of(VectorSchemaRoot root, ArrowKernels kernels) {
        return new Frame(Objects.requireNonNull(root, "root"), Objects.requireNonNull(kernels, "kernels"), 0);
    }

    /**
     * This frame, its standard deviations with {@code ddof} delta degrees of freedom: 0 for the population, 1
     * for the sample standard deviation.
     */
    public Frame withDdof(int ddof) {
        if (ddof != 0 && ddof != 1) {
            throw new IllegalArgumentException("ddof is 0 or 1, got " + ddof);
        }
        return new Frame(root, kernels, ddof);
    }

    /** The frame's root. */
    public VectorSchemaRoot root() {
        return root;
    }

    /** Statistics of every float column, by name in the frame's order; columns of other types are left out. */
    public CompletionStage<Map<String, ColumnStats>> describe() {
        Map<String, ColumnStats> all = new LinkedHashMap<>();
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        for (FieldVector vector : root.getFieldVectors()) {
            if (vector instanceof Float4Vector || vector instanceof Float8Vector) {
                chain = chain.thenCompose(ignored -> stats(vector.getName())).thenAccept(s -> all.put(s.column(), s));
            }
        }
        return chain.thenApply(ignored -> all);
    }

    /**
     * Statistics of column {@code name}.
     *
     * @throws ColumnException at once when there is no such column or it is not a float column
     */
    public CompletionStage<ColumnStats> stats(String name) {
        FieldVector column = column(name);
        int rows = column.getValueCount();
        int first = firstValue(column);
        if (first < 0) {
            return CompletableFuture.completedFuture(
                    new ColumnStats(name, 0, rows, 0, Double.NaN, 0, Double.NaN, Double.NaN));
        }
        double shift = value(column, first);
        if (column instanceof Float4Vector) {
            shift = (float) shift;
        }
        // A request holds the chunk and six outputs, each rounded up to a 64-byte arena line.
        long arenaRows = kernels.arenaBytes() / IN_FLIGHT / Float.BYTES - 32;
        int chunkRows = (int) Math.max(1, Math.min(MAX_CHUNK_ROWS, arenaRows));
        return new StatsRun(kernels.kernels().kernel("stats"), column, shift, chunkRows).start();
    }

    /** A new column {@code name} = {@code a + b}, row by row; null where either is null. */
    public CompletionStage<FieldVector> add(String a, String b, String name) {
        return kernels.apply("add", name, column(a), column(b));
    }

    /** A new column {@code name} = {@code alpha * x + y}, row by row; null where either is null. */
    public CompletionStage<FieldVector> saxpy(double alpha, String x, String y, String name) {
        return kernels.apply("saxpy", Map.of("alpha", alpha), name, column(x), column(y));
    }

    private FieldVector column(String name) {
        FieldVector vector = root.getVector(name);
        if (vector == null) {
            List<String> names = new ArrayList<>();
            root.getFieldVectors().forEach(v -> names.add(v.getName()));
            throw new ColumnException("the frame has no column '" + name + "'; it has " + String.join(", ", names));
        }
        if (!(vector instanceof Float4Vector) && !(vector instanceof Float8Vector)) {
            throw new ColumnException("column '" + name + "' is " + vector.getMinorType()
                    + "; statistics and column arithmetic take FLOAT4 and FLOAT8 columns");
        }
        return vector;
    }

    private static int firstValue(FieldVector column) {
        for (int row = 0, rows = column.getValueCount(); row < rows; row++) {
            if (!column.isNull(row)) {
                return row;
            }
        }
        return -1;
    }

    private static double value(FieldVector column, int row) {
        ArrowBuf data = column.getDataBuffer();
        return column instanceof Float8Vector ? data.getDouble((long) row * Double.BYTES)
                : data.getFloat((long) row * Float.BYTES);
    }

    /**
     * Merged moments of the chunks answered so far, in float64 around the column's shift.
     */
    private static final class Moments {
        private long count;
        private double mean;
        private double m2;
        private double min = Double.POSITIVE_INFINITY;
        private double max = Double.NEGATIVE_INFINITY;

        /** Chan et al.'s pairwise update with a chunk of {@code n} values of this mean, M2, min and max. */
        void merge(long n, double chunkMean, double chunkM2, double chunkMin, double chunkMax) {
            long merged = count + n;
            double delta = chunkMean - mean;
            mean += delta * n / merged;
            m2 += chunkM2 + delta * delta * ((double) count * n / merged);
            count = merged;
            min = Math.min(min, chunkMin);
            max = Math.max(max, chunkMax);
        }
    }

    /** One column's statistics: chunks of non-null, shifted values through {@code stats}, merged in row order. */
    private final class StatsRun {
        private final KernelRef kernel;
        private final FieldVector column;
        private final double shift;
        private final boolean nullable;
        private final int chunkRows;
        private final int chunks;
        private final float[][] answers;
        private final long[] counts;
        /**
         * Arrays of chunks whose requests completed, for the next chunks: a chunk's array is free once its request
         * is answered (its values were copied into the arena when it was staged), and reusing it spares the heap a
         * large allocation per chunk.
         */
        private final ArrayDeque<float[]> spare = new ArrayDeque<>();
        private final CompletableFuture<ColumnStats> done = new CompletableFuture<>();
        private int sent;
        private int settled;
        private long nulls;
        private Throwable failure;

        StatsRun(KernelRef kernel, FieldVector column, double shift, int chunkRows) {
            this.kernel = kernel;
            this.column = column;
            this.shift = shift;
            // Arrow counts nulls by scanning the bitmap on every call: once per column.
            this.nullable = column.getNullCount() > 0;
            this.chunkRows = chunkRows;
            this.chunks = (column.getValueCount() + chunkRows - 1) / chunkRows;
            this.answers = new float[chunks][];
            this.counts = new long[chunks];
        }

        CompletionStage<ColumnStats> start() {
            synchronized (this) {
                for (int i = 0; i < Math.min(IN_FLIGHT, chunks); i++) {
                    sendNext();
                }
            }
            return done;
        }

        /** Sends the next chunk; holds the run's lock. */
        private void sendNext() {
            while (sent < chunks) {
                int chunk = sent++;
                int from = chunk * chunkRows;
                int to = Math.min(column.getValueCount(), from + chunkRows);
                if (failure != null) {
                    settle();
                    continue;
                }
                float[] values = spare.isEmpty() || spare.peek().length < to - from ? new float[chunkRows]
                        : spare.pop();
                int count;
                try {
                    count = shifted(from, to, values);
                } catch (ColumnException e) {
                    failure = e;
                    settle();
                    continue;
                }
                counts[chunk] = count;
                nulls += (to - from) - count;
                if (count == 0) {
                    spare.push(values);
                    settle();
                    continue;
                }
                Tensor chunkValues = count == values.length ? Tensor.of(values)
                        : Tensor.over(new int[] {count}, FloatBuffer.wrap(values, 0, count));
                kernel.process(KernelRequest.of(chunkValues)
                        .withParam("ddof", 0)).whenComplete((result, error) -> {
                            synchronized (this) {
                                spare.push(values);
                                if (error != null) {
                                    failure = failure != null ? failure : new ColumnException("kernel 'stats' over rows "
                                            + from + " to " + (to - 1) + " of column '" + column.getName()
                                            + "' failed: " + error.getMessage(), error);
                                } else {
                                    answers[chunk] = result.output().data();
                                }
                                settle();
                                sendNext();
                            }
                        });
                return;
            }
        }

        /**
         * Writes the non-null values of rows {@code from} to {@code to}, each minus the shift, to the front of
         * {@code values}, an array of a chunk's size (never the column's), and gives their number.
         */
        private int shifted(int from, int to, float[] values) {
            return column instanceof Float4Vector && !nullable ? shiftedFloats(from, to, values)
                    : shiftedValues(from, to, values);
        }

        /** The common case, a float32 column without nulls, read in bulk where it lies; float32 subtraction. */
        private int shiftedFloats(int from, int to, float[] values) {
            int count = to - from;
            FloatBuffer data = column.getDataBuffer().nioBuffer((long) from * Float.BYTES, count * Float.BYTES)
                    .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            float floatShift = (float) shift;
            for (int i = 0; i < count; i++) {
                float value = data.get(i);
                float distance = value - floatShift;
                if (Float.isInfinite(distance) && Float.isFinite(value)) {
                    throw tooFar(from + i, value);
                }
                values[i] = distance;
            }
            return count;
        }

        private int shiftedValues(int from, int to, float[] values) {
            ArrowBuf data = column.getDataBuffer();
            boolean wide = column instanceof Float8Vector;
            int count = 0;
            for (int row = from; row < to; row++) {
                if (nullable && column.isNull(row)) {
                    continue;
                }
                double value = wide ? data.getDouble((long) row * Double.BYTES) : data.getFloat((long) row * Float.BYTES);
                float distance = (float) (value - shift);
                if (Float.isInfinite(distance) && Double.isFinite(value)) {
                    throw tooFar(row, value);
                }
                values[count++] = distance;
            }
            return count;
        }

        private ColumnException tooFar(int row, double value) {
            return new ColumnException("column '" + column.getName() + "' row " + row + " holds " + value
                    + ", too far from the column's first value " + shift + " for float32 statistics");
        }

        /** One chunk has settled; holds the run's lock. Once all have, merges them in row order. */
        private void settle() {
            if (++settled < chunks) {
                return;
            }
            if (failure != null) {
                done.completeExceptionally(failure);
                return;
            }
            Moments total = new Moments();
            for (int chunk = 0; chunk < chunks; chunk++) {
                float[] answer = answers[chunk];
                if (answer == null) {
                    continue;
                }
                long n = counts[chunk];
                double std = answer[StatsKernel.STD];
                total.merge(n, answer[StatsKernel.MEAN], std * std * n, answer[StatsKernel.MIN],
                        answer[StatsKernel.MAX]);
            }
            double mean = total.mean + shift;
            double std = total.count > ddof ? Math.sqrt(total.m2 / (total.count - ddof)) : 0;
            done.complete(new ColumnStats(column.getName(), total.count, nulls, mean * total.count, mean, std,
                    total.min + shift, total.max + shift));
        }
    }
}
