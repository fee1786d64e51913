package org.ringkernel.http.arrow;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import com.google.flatbuffers.FlatBufferBuilder;
import org.apache.arrow.flatbuf.BodyCompression;
import org.apache.arrow.flatbuf.BodyCompressionMethod;
import org.apache.arrow.flatbuf.CompressionType;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.MetadataVersion;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.ArrowWriter;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Arrow IPC streams for the tests: written from columns of values (a {@code null} element of a {@code Double[]}
 * is a null row), and read back into the same form.
 */
public final class ArrowStreams {
    private ArrowStreams() {
    }

    /** One column of a batch: float32 or float64, values with nulls. */
    public record Column(String name, boolean float64, Double[] values) {
        public static Column float32(String name, float... values) {
            Double[] boxed = new Double[values.length];
            for (int i = 0; i < values.length; i++) {
                boxed[i] = (double) values[i];
            }
            return new Column(name, false, boxed);
        }

        public static Column float64(String name, double... values) {
            Double[] boxed = new Double[values.length];
            for (int i = 0; i < values.length; i++) {
                boxed[i] = values[i];
            }
            return new Column(name, true, boxed);
        }
    }

    /** A stream of {@code batches}, each a list of columns with the same names and types. */
    public static byte[] write(List<List<Column>> batches) {
        return write(batches.get(0), batches, false);
    }

    /** An Arrow file (not a stream) of one batch of {@code columns}. */
    public static byte[] file(Column... columns) {
        return write(List.of(columns), List.of(List.of(columns)), true);
    }

    /** A stream with the schema of {@code columns} and no batches. */
    public static byte[] schemaOnly(Column... columns) {
        return write(List.of(columns), List.of(), false);
    }

    private static byte[] write(List<Column> schema, List<List<Column>> batches, boolean file) {
        try (BufferAllocator allocator = new RootAllocator()) {
            List<FieldVector> vectors = new ArrayList<>();
            for (Column column : schema) {
                vectors.add(column.float64() ? new Float8Vector(column.name(), allocator)
                        : new Float4Vector(column.name(), allocator));
            }
            try (VectorSchemaRoot root = new VectorSchemaRoot(vectors)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (ArrowWriter writer = file ? new ArrowFileWriter(root, null, Channels.newChannel(out))
                        : new ArrowStreamWriter(root, null, out)) {
                    writer.start();
                    for (List<Column> batch : batches) {
                        int rows = batch.get(0).values().length;
                        for (int c = 0; c < batch.size(); c++) {
                            fill(root.getVector(c), batch.get(c).values());
                        }
                        root.setRowCount(rows);
                        writer.writeBatch();
                    }
                    writer.end();
                }
                return out.toByteArray();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A stream of {@code column}'s schema and one empty record batch whose metadata says its buffers are compressed
     * with ZSTD, then the end marker: what a writer asked for compression sends, made without a codec.
     */
    public static byte[] compressedBatch(Column column) {
        byte[] schemaOnly = schemaOnly(column);
        // The schema message: continuation, metadata length, metadata; a schema has no body.
        int schemaEnd = 2 * Integer.BYTES + ByteBuffer.wrap(schemaOnly, Integer.BYTES, Integer.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN).getInt();
        FlatBufferBuilder builder = new FlatBufferBuilder();
        int compression = BodyCompression.createBodyCompression(builder, CompressionType.ZSTD,
                BodyCompressionMethod.BUFFER);
        RecordBatch.startRecordBatch(builder);
        RecordBatch.addLength(builder, 0);
        RecordBatch.addCompression(builder, compression);
        int batch = RecordBatch.endRecordBatch(builder);
        Message.startMessage(builder);
        Message.addVersion(builder, MetadataVersion.V5);
        Message.addHeaderType(builder, MessageHeader.RecordBatch);
        Message.addHeader(builder, batch);
        Message.addBodyLength(builder, 0);
        builder.finish(Message.endMessage(builder));
        byte[] metadata = builder.sizedByteArray();
        int padded = (metadata.length + 7) / 8 * 8;
        ByteBuffer stream = ByteBuffer.allocate(schemaEnd + 2 * Integer.BYTES + padded + 2 * Integer.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        stream.put(schemaOnly, 0, schemaEnd).putInt(-1).putInt(padded).put(metadata);
        stream.position(stream.position() + padded - metadata.length).putInt(-1).putInt(0);
        return stream.array();
    }

    /** A stream of one batch. */
    public static byte[] write(Column... columns) {
        return write(List.of(List.of(columns)));
    }

    /** A stream of one batch of one int32 column and one float32 column. */
    public static byte[] withIntColumn(String intName, String floatName) {
        try (BufferAllocator allocator = new RootAllocator();
             IntVector ints = new IntVector(intName, allocator);
             Float4Vector floats = new Float4Vector(floatName, allocator)) {
            ints.allocateNew(2);
            ints.set(0, 1);
            ints.set(1, 2);
            floats.allocateNew(2);
            floats.set(0, 1f);
            floats.set(1, 2f);
            try (VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(ints, floats))) {
                root.setRowCount(2);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (ArrowStreamWriter writer = new ArrowStreamWriter(root, null, out)) {
                    writer.start();
                    writer.writeBatch();
                    writer.end();
                }
                return out.toByteArray();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void fill(FieldVector vector, Double[] values) {
        vector.setInitialCapacity(values.length);
        vector.allocateNew();
        for (int i = 0; i < values.length; i++) {
            if (vector instanceof Float8Vector f8) {
                if (values[i] == null) {
                    f8.setNull(i);
                } else {
                    f8.set(i, values[i]);
                }
            } else {
                Float4Vector f4 = (Float4Vector) vector;
                if (values[i] == null) {
                    f4.setNull(i);
                } else {
                    f4.set(i, values[i].floatValue());
                }
            }
        }
        vector.setValueCount(values.length);
    }

    /** A stream as read back: its schema and each batch's single column. */
    public record Read(Schema schema, List<Double[]> batches) {
        public Field field() {
            return schema.getFields().get(0);
        }
    }

    public static Read read(byte[] stream) {
        try (BufferAllocator allocator = new RootAllocator();
             ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(stream), allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            List<Double[]> batches = new ArrayList<>();
            while (reader.loadNextBatch()) {
                FieldVector vector = root.getVector(0);
                Double[] values = new Double[root.getRowCount()];
                for (int i = 0; i < values.length; i++) {
                    Object value = vector.getObject(i);
                    values[i] = value == null ? null : ((Number) value).doubleValue();
                }
                batches.add(values);
            }
            return new Read(root.getSchema(), batches);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
