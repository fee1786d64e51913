package org.ringkernel.data.arrow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.vector.FieldVector;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * Runs Arrow float columns ({@code Float4Vector}, {@code Float8Vector}) through the kernels of a
 * {@link RingKernels}.
 *
 * <p><b>Element-wise kernels</b> ({@code square}, {@code add}, {@code saxpy}, {@code echo}, and those named with
 * {@link #withElementwise}) take columns of any length: the rows go in chunks that fit the kernel's arena
 * ({@code ringkernel.kernel.arena-size} bounds one request), a few chunks in flight at once, and each chunk's
 * result lands at its own rows of the output column, so the output is in order whatever order the chunks finish
 * in. A row is null in the output where it is null in any input. A float32 chunk without nulls is handed to the
 * kernel over the column's own memory ({@link Tensor#over}): its values are copied once, into the arena, and
 * never into an array on the way.
 *
 * <p><b>Other kernels</b> (a softmax, a normalisation, {@code stats}: anything whose output element depends on
 * more than its own row) take each column whole in one request, so the column must fit the arena and must not
 * hold nulls: a null would silently change every output. Both are errors naming the column.
 *
 * <p>Float8 columns follow the precision policy of {@code Columns}: values are rounded to float32, a finite value
 * beyond float32's range is an error naming its row, and the result is a {@code Float8Vector} again.
 *
 * <p>A result vector comes from the first input's allocator and belongs to the caller, who closes it. The inputs
 * must stay open and unchanged until the stage completes.
 */
public final class ArrowKernels {
    /** The kernels known to be element-wise without being told: each output row depends on its input rows only. */
    public static final Set<String> BUILTIN_ELEMENTWISE = Set.of("square", "add", "saxpy", "echo");

    /** Chunk requests of one column in flight at once: some being computed while the next are staged. */
    static final int IN_FLIGHT = 4;

    /**
     * The most rows of one chunk: 256 KiB of float32, so that a chunk's trip (into the arena, through the kernel,
     * out of it) stays in the processor's caches instead of streaming every copy through memory.
     */
    static final int MAX_CHUNK_ROWS = 1 << 16;

    /** Chunks are whole 64-byte arena lines of float32, so that they pack the arena without padding. */
    private static final int CHUNK_ALIGNMENT = 16;

    private final RingKernels kernels;
    private final Set<String> elementwise;
    private final long arenaBytes;

    private ArrowKernels(RingKernels kernels, Set<String> elementwise) {
        this.kernels = kernels;
        this.elementwise = Set.copyOf(elementwise);
        this.arenaBytes = kernels.settings().bridge().instance().arenaBytes();
    }

    /** Arrow columns through the kernels of {@code kernels}, the built-in element-wise kernels chunked. */
    public static ArrowKernels on(RingKernels kernels) {
        return new ArrowKernels(Objects.requireNonNull(kernels, "kernels"), BUILTIN_ELEMENTWISE);
    }

    /**
     * These kernels, and {@code ids}, treated as element-wise: split into chunks, nulls passed through. Name only
     * kernels whose every output element depends on the same element of the inputs alone.
     */
    public ArrowKernels withElementwise(String... ids) {
        Set<String> more = new HashSet<>(elementwise);
        more.addAll(Arrays.asList(ids));
        return new ArrowKernels(kernels, more);
    }

    /** The kernels behind these columns. */
    public RingKernels kernels() {
        return kernels;
    }

    /** Bytes of one kernel instance's arena ({@code ringkernel.kernel.arena-size}): what one request may hold. */
    public long arenaBytes() {
        return arenaBytes;
    }

    /** Whether the kernel {@code id} is taken as element-wise. */
    public boolean isElementwise(String id) {
        return elementwise.contains(id);
    }

    /**
     * Rows per request of an element-wise kernel with {@code inputs} inputs and one output: at most
     * {@link #MAX_CHUNK_ROWS}, and few enough that {@link #IN_FLIGHT} requests fit the arena together.
     */
    public int chunkRows(int inputs) {
        long rows = Math.min(MAX_CHUNK_ROWS, arenaBytes / ((long) (inputs + 1) * Float.BYTES * IN_FLIGHT));
        return (int) Math.max(CHUNK_ALIGNMENT, rows - rows % CHUNK_ALIGNMENT);
    }

    /**
     * Runs kernel {@code kernelId} over {@code inputs} (in the order of its signature) with {@code params}; the
     * stage completes with a new column named {@code name} holding the kernel's first output, or fails with a
     * {@link ColumnException} naming the column and rows.
     *
     * @throws ColumnException at once when an input is not a float column, the inputs of an element-wise kernel
     *     differ in length, or a column given whole holds nulls, is empty, does not fit the arena or holds a
     *     float64 value beyond float32's range (in chunks, that last one fails the stage instead)
     */
    public CompletionStage<FieldVector> apply(String kernelId, Map<String, Double> params, String name,
                                              FieldVector... inputs) {
        Objects.requireNonNull(name, "name");
        if (inputs.length == 0) {
            throw new IllegalArgumentException("kernel '" + kernelId + "' needs at least one input column");
        }
        for (FieldVector input : inputs) {
            Columns.requireFloat(input);
        }
        KernelRef kernel = kernels.kernel(kernelId);
        return isElementwise(kernelId) ? chunked(kernel, params, name, inputs) : whole(kernel, params, name, inputs);
    }

    /** As {@link #apply(String, Map, String, FieldVector...)} without params. */
    public CompletionStage<FieldVector> apply(String kernelId, String name, FieldVector... inputs) {
        return apply(kernelId, Map.of(), name, inputs);
    }

    /**
     * The request over rows {@code from} to {@code from + count} of every input, where input {@code i} has null
     * rows if {@code nullable[i]}.
     */
    static KernelRequest request(Map<String, Double> params, FieldVector[] inputs, boolean[] nullable, int from,
                                 int count) {
        List<Tensor> tensors = new ArrayList<>(inputs.length);
        for (int i = 0; i < inputs.length; i++) {
            tensors.add(Columns.rows(inputs[i], nullable[i], from, count));
        }
        return new KernelRequest(tensors, params);
    }

    private CompletionStage<FieldVector> chunked(KernelRef kernel, Map<String, Double> params, String name,
                                                 FieldVector[] inputs) {
        int rows = inputs[0].getValueCount();
        for (FieldVector input : inputs) {
            if (input.getValueCount() != rows) {
                throw new ColumnException("kernel '" + kernel.id() + "' is element-wise: column '" + input.getName()
                        + "' has " + input.getValueCount() + " rows, column '" + inputs[0].getName() + "' " + rows);
            }
        }
        boolean[] nullable = Columns.nullable(inputs);
        FieldVector out = Columns.newLike(inputs[0], name, rows);
        Columns.intersectValidity(out, inputs, nullable, rows);
        if (rows == 0) {
            out.setValueCount(0);
            return CompletableFuture.completedFuture(out);
        }
        return new ChunkedRun(kernel, params, inputs, nullable, out, chunkRows(inputs.length)).start();
    }

    private CompletionStage<FieldVector> whole(KernelRef kernel, Map<String, Double> params, String name,
                                               FieldVector[] inputs) {
        long bytes = 0;
        for (FieldVector input : inputs) {
            int nullRow = Columns.firstNull(input);
            if (nullRow >= 0) {
                throw new ColumnException("column '" + input.getName() + "' has " + input.getNullCount()
                        + " null rows (the first is row " + nullRow + "); kernel '" + kernel.id()
                        + "' is not element-wise, so it takes columns without nulls");
            }
            if (input.getValueCount() == 0) {
                throw new ColumnException("column '" + input.getName() + "' is empty; kernel '" + kernel.id()
                        + "' takes at least one row");
            }
            bytes += (long) input.getValueCount() * Float.BYTES;
        }
        if (bytes > arenaBytes) {
            throw new ColumnException("kernel '" + kernel.id() + "' is not element-wise, so it takes its columns"
                    + " whole in one request: " + bytes + " bytes of input, more than the kernel's arena of "
                    + arenaBytes + " bytes (ringkernel.kernel.arena-size)");
        }
        FieldVector first = inputs[0];
        // No input has nulls, as checked above; a float64 value beyond float32 fails here, at once.
        KernelRequest request = request(params, inputs, new boolean[inputs.length], 0, first.getValueCount());
        return kernel.process(request).handle((result, error) -> {
            if (error != null) {
                throw new ColumnException("kernel '" + kernel.id() + "' over column '" + first.getName() + "' failed: "
                        + rootMessage(error), error);
            }
            Tensor values = result.output();
            FieldVector out = Columns.newLike(first, name, values.size());
            Columns.write(out, 0, values);
            Columns.setAllValid(out, values.size());
            out.setValueCount(values.size());
            return out;
        });
    }

    /** The message of {@code error} with the completion wrappers of a stage taken off. */
    static String rootMessage(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause instanceof CompletionException) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }

    /**
     * One element-wise run: chunk requests go out {@link #IN_FLIGHT} at a time, each answer is written at its
     * rows, and the output is handed over once every chunk has landed, or closed once every chunk in flight has
     * settled after a failure (so nothing writes into a closed vector).
     */
    private static final class ChunkedRun {
        private final KernelRef kernel;
        private final Map<String, Double> params;
        private final FieldVector[] inputs;
        private final boolean[] nullable;
        private final FieldVector out;
        private final int chunkRows;
        private final int chunks;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger unsettled;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final CompletableFuture<FieldVector> done = new CompletableFuture<>();

        ChunkedRun(KernelRef kernel, Map<String, Double> params, FieldVector[] inputs, boolean[] nullable,
                   FieldVector out, int chunkRows) {
            this.kernel = kernel;
            this.params = params;
            this.inputs = inputs;
            this.nullable = nullable;
            this.out = out;
            this.chunkRows = chunkRows;
            this.chunks = (inputs[0].getValueCount() + chunkRows - 1) / chunkRows;
            this.unsettled = new AtomicInteger(chunks);
        }

        CompletionStage<FieldVector> start() {
            for (int i = 0; i < Math.min(IN_FLIGHT, chunks); i++) {
                sendNext();
            }
            return done;
        }

        /** Sends the next chunk not yet sent; once a chunk has failed, every chunk left settles unsent. */
        private void sendNext() {
            int rows = inputs[0].getValueCount();
            for (int chunk = next.getAndIncrement(); chunk < chunks; chunk = next.getAndIncrement()) {
                int from = chunk * chunkRows;
                int count = Math.min(chunkRows, rows - from);
                if (failure.get() != null) {
                    settle();
                    continue;
                }
                CompletionStage<KernelResult> answer;
                try {
                    answer = kernel.process(request(params, inputs, nullable, from, count));
                } catch (RuntimeException e) {
                    fail(new ColumnException(rowsText(from, count) + ": " + e.getMessage(), e));
                    settle();
                    continue;
                }
                answer.whenComplete((result, error) -> {
                    if (error != null) {
                        fail(new ColumnException(rowsText(from, count) + ": " + rootMessage(error), error));
                    } else if (failure.get() == null) {
                        try {
                            Columns.write(out, from, result.output());
                        } catch (RuntimeException e) {
                            fail(new ColumnException(rowsText(from, count) + ": " + e.getMessage(), e));
                        }
                    }
                    settle();
                    sendNext();
                });
                return;
            }
        }

        private String rowsText(int from, int count) {
            return "kernel '" + kernel.id() + "' over rows " + from + " to " + (from + count - 1) + " of column '"
                    + inputs[0].getName() + "' failed";
        }

        private void fail(Throwable error) {
            failure.compareAndSet(null, error);
        }

        private void settle() {
            if (unsettled.decrementAndGet() > 0) {
                return;
            }
            Throwable error = failure.get();
            if (error == null) {
                out.setValueCount(inputs[0].getValueCount());
                done.complete(out);
            } else {
                out.close();
                done.completeExceptionally(error);
            }
        }
    }
}
