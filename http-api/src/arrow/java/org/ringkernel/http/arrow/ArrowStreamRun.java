package org.ringkernel.http.arrow;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.pekko.util.ByteString;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.KernelRequestException;
import org.ringkernel.bridge.kernel.KernelSignature;
import org.ringkernel.bridge.kernel.TensorSpec;
import org.ringkernel.data.arrow.ArrowKernels;
import org.ringkernel.data.arrow.ColumnException;
import org.ringkernel.http.ApiError;
import org.ringkernel.http.BadRequestException;

/**
 * One Arrow body through one kernel: reads the schema and maps its columns to the kernel's inputs, then one record
 * batch at a time loads it, runs it through {@link ArrowKernels} and writes the result as the next batch of the
 * answer. Everything it allocates comes from its own allocator, closed with the readers and writers once the run
 * ends, before the answer completes.
 *
 * <p>Columns map to inputs by name when every column's name is one of the kernel's inputs, else by position. A
 * stream must end with Arrow's end-of-stream marker, so that a body cut off between two messages is not taken for a
 * shorter stream. Its framing is checked first ({@link StreamFraming}), so that no length it claims makes the reader
 * allocate more than the body.
 */
final class ArrowStreamRun {
    /** Arrow's end-of-stream marker: the continuation token, then a message length of 0. */
    private static final byte[] END_OF_STREAM = {-1, -1, -1, -1, 0, 0, 0, 0};

    private final ArrowKernels arrow;
    private final KernelRef kernel;
    private final Map<String, Double> params;
    private final ByteString body;
    private final BufferAllocator allocator;
    private final int maxRows;
    private final CompletableFuture<ByteString> answer;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private ArrowStreamReader reader;
    private VectorSchemaRoot in;
    private VectorSchemaRoot out;
    private BodyTrackingReader messages;
    private ArrowStreamWriter writer;
    private int[] columnOfInput;
    private String outputName;
    private int batches;

    ArrowStreamRun(ArrowKernels arrow, KernelRef kernel, Map<String, Double> params, ByteString body,
                   BufferAllocator allocator, int maxRows, CompletableFuture<ByteString> answer) {
        this.arrow = arrow;
        this.kernel = kernel;
        this.params = params;
        this.body = body;
        this.allocator = allocator;
        this.maxRows = maxRows;
        this.answer = answer;
    }

    void start() {
        try {
            StreamFraming.check(body);
            messages = new BodyTrackingReader(new ReadChannel(Channels.newChannel(
                    new ByteArrayInputStream(body.toArrayUnsafe()))), allocator);
            reader = new ArrowStreamReader(messages, allocator);
            resources.add(reader);
            in = read(reader::getVectorSchemaRoot);
            columnOfInput = mapColumns(in.getSchema());
            KernelSignature signature = kernel.info().definition().signature();
            outputName = signature.outputs().get(0).name();
            ArrowType type = in.getSchema().getFields().get(columnOfInput[0]).getType();
            out = VectorSchemaRoot.create(new Schema(List.of(new Field(outputName, FieldType.nullable(type), null))),
                    allocator);
            resources.add(out);
            writer = new ArrowStreamWriter(out, null, written);
            resources.add(writer);
            writer.start();
        } catch (IOException | RuntimeException e) {
            fail(e);
            return;
        }
        next();
    }

    /**
     * Runs batches until one waits for the kernel (its callback goes on from there) or the stream ends; a batch
     * the kernel answers at once (an empty one) goes on here, so that many of them take no stack.
     */
    private void next() {
        while (true) {
            CompletableFuture<FieldVector> result;
            try {
                if (!read(reader::loadNextBatch)) {
                    finish();
                    return;
                }
                batches++;
                int rows = in.getRowCount();
                if (rows > maxRows) {
                    throw new BadRequestException(ApiError.tooLarge("record batch " + batches + " has " + rows
                            + " rows, more than " + maxRows + ", the limit of ringkernel.http.max-elements-per-input"));
                }
                FieldVector[] inputs = new FieldVector[columnOfInput.length];
                for (int i = 0; i < inputs.length; i++) {
                    inputs[i] = in.getVector(columnOfInput[i]);
                }
                result = arrow.apply(kernel.id(), params, outputName, inputs).toCompletableFuture();
            } catch (IOException | RuntimeException e) {
                fail(e);
                return;
            }
            if (!result.isDone()) {
                result.whenComplete((column, error) -> {
                    if (written(column, error)) {
                        next();
                    }
                });
                return;
            }
            if (!result.handle(this::written).join()) {
                return;
            }
        }
    }

    /** Writes a batch's result as the answer's next batch; false (the run failed) when there is none. */
    private boolean written(FieldVector column, Throwable error) {
        if (error != null) {
            fail(error);
            return false;
        }
        try (column) {
            FieldVector target = out.getVector(0);
            column.makeTransferPair(target).transfer();
            out.setRowCount(target.getValueCount());
            writer.writeBatch();
            out.clear();
            return true;
        } catch (IOException | RuntimeException e) {
            fail(e);
            return false;
        }
    }

    private void finish() {
        long read = reader.bytesRead();
        try {
            if (read < body.size()) {
                throw BadRequestException.invalid("the body has " + (body.size() - read) + " bytes after the end of"
                        + " its Arrow IPC stream (at byte " + read + ")");
            }
            if (read < END_OF_STREAM.length || !body.slice((int) read - END_OF_STREAM.length, (int) read)
                    .equals(ByteString.fromArray(END_OF_STREAM))) {
                throw BadRequestException.invalid("the Arrow IPC stream ends after " + batches + " record batches"
                        + " without its end-of-stream marker: the body is cut off");
            }
            writer.end();
        } catch (IOException | RuntimeException e) {
            fail(e);
            return;
        }
        RuntimeException closing = close();
        if (closing != null) {
            answer.completeExceptionally(closing);
        } else {
            answer.complete(ByteString.fromArrayUnsafe(written.toByteArray()));
        }
    }

    private void fail(Throwable error) {
        RuntimeException closing = close();
        Throwable answered = answerable(error);
        if (closing != null) {
            answered.addSuppressed(closing);
        }
        answer.completeExceptionally(answered);
    }

    /** Closes what the run holds, the allocator last; what failed to close, or null. */
    private RuntimeException close() {
        RuntimeException failure = null;
        resources.add(0, allocator);
        if (messages != null) {
            resources.add(1, messages::releaseDropped);
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("releasing the Arrow memory of a request failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        resources.clear();
        return failure;
    }

    /**
     * The failure as the route answers it: a column the kernels refuse is the client's (400) unless a kernel
     * request failed behind it, whose error the route finds among the causes; memory beyond the request's bound
     * means the body declares more than it holds.
     */
    private Throwable answerable(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ColumnException && !hasCause(cause, KernelRequestException.class)
                && onlyColumnErrors(cause)) {
            return BadRequestException.invalid(cause.getMessage());
        }
        if (cause instanceof OutOfMemoryException) {
            return BadRequestException.invalid("the Arrow IPC stream declares more data than its " + body.size()
                    + " bytes hold: " + cause.getMessage());
        }
        return cause;
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /** Whether every cause is a column's own error (a value, a size), not a failure of the machinery. */
    private static boolean onlyColumnErrors(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (!(cause instanceof ColumnException)) {
                return false;
            }
        }
        return true;
    }

    /** For each of the kernel's inputs, in its order, the column holding it. */
    private int[] mapColumns(Schema schema) {
        List<Field> fields = schema.getFields();
        for (Field field : fields) {
            if (!(field.getType() instanceof ArrowType.FloatingPoint fp)
                    || fp.getPrecision() == FloatingPointPrecision.HALF) {
                throw BadRequestException.invalid("column '" + field.getName() + "' is of Arrow type " + field.getType()
                        + "; the process route takes float columns (FloatingPoint SINGLE or DOUBLE)");
            }
        }
        KernelSignature signature = kernel.info().definition().signature();
        List<String> names = signature.inputs().stream().map(TensorSpec::name).toList();
        if (fields.size() < signature.requiredInputs() || fields.size() > names.size()) {
            String takes = signature.requiredInputs() == names.size() ? String.valueOf(names.size())
                    : signature.requiredInputs() + " to " + names.size();
            throw BadRequestException.invalid("kernel '" + kernel.id() + "' takes " + takes + " input columns ("
                    + String.join(", ", names) + "); the stream has " + fields.size() + " ("
                    + String.join(", ", fields.stream().map(Field::getName).toList()) + ")");
        }
        int[] columns = new int[fields.size()];
        boolean byName = fields.stream().allMatch(f -> names.contains(f.getName()));
        if (!byName) {
            for (int i = 0; i < columns.length; i++) {
                columns[i] = i;
            }
            return columns;
        }
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < fields.size(); c++) {
            String name = fields.get(c).getName();
            if (!seen.add(name)) {
                throw BadRequestException.invalid("column '" + name + "' is given twice; kernel '" + kernel.id()
                        + "' takes its inputs " + String.join(", ", names) + " once each");
            }
            int input = names.indexOf(name);
            if (input >= columns.length) {
                throw BadRequestException.invalid("column '" + name + "' is input " + (input + 1) + " of kernel '"
                        + kernel.id() + "' (" + String.join(", ", names) + "), but the stream has only "
                        + columns.length + " columns; give the inputs before it too");
            }
            columns[input] = c;
        }
        return columns;
    }

    /** What Arrow's reader says of a stream it cannot read, as the client's error. */
    private <T> T read(Reading<T> step) throws IOException {
        try {
            return step.read();
        } catch (OutOfMemoryException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw BadRequestException.invalid("the body is not a valid Arrow IPC stream: " + describe(e));
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A step of Arrow's reader. */
    @FunctionalInterface
    private interface Reading<T> {
        T read() throws IOException;
    }
}
