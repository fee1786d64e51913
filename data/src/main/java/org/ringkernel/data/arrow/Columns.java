package org.ringkernel.data.arrow;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * Reading rows of a {@code Float4Vector} or {@code Float8Vector} as float32 tensors, and the precision policy of
 * {@code Float8Vector} columns.
 *
 * <p><b>Float8 policy.</b> Kernels compute in float32. A float64 value is rounded to the nearest float32; a
 * finite value beyond float32's range ({@code |v| > Float.MAX_VALUE}, which would round to an infinity) is an
 * error naming the column and the row, never a silent infinity. NaN and infinities stay what they are, and the
 * kernel's own value check decides on them. Results of a float64 column come back as float64 (the float32
 * results widened exactly), so the column keeps its type through a pipeline.
 */
final class Columns {
    /** Arrow lays out values little-endian on every platform. */
    static final ByteOrder ARROW_ORDER = ByteOrder.LITTLE_ENDIAN;

    private Columns() {
    }

    /**
     * Checks that {@code vector} is a float column.
     *
     * @throws ColumnException naming the column and its type otherwise
     */
    static FieldVector requireFloat(FieldVector vector) {
        if (!(vector instanceof Float4Vector) && !(vector instanceof Float8Vector)) {
            throw new ColumnException("column '" + vector.getName() + "' is " + vector.getMinorType()
                    + "; kernels take FLOAT4 and FLOAT8 columns");
        }
        return vector;
    }

    /**
     * Whether each vector has a null row. Arrow counts nulls by scanning the validity bitmap on every call, so a
     * run over many chunks asks once.
     */
    static boolean[] nullable(FieldVector[] vectors) {
        boolean[] nullable = new boolean[vectors.length];
        for (int i = 0; i < vectors.length; i++) {
            nullable[i] = vectors[i].getNullCount() > 0;
        }
        return nullable;
    }

    /** Whether any of {@code count} rows from {@code from} is null. */
    static boolean anyNull(FieldVector vector, int from, int count) {
        ArrowBuf validity = vector.getValidityBuffer();
        for (int row = from, end = from + count; row < end; row++) {
            if (BitVectorHelper.get(validity, row) == 0) {
                return true;
            }
        }
        return false;
    }

    /** The first null row, or -1. */
    static int firstNull(FieldVector vector) {
        if (vector.getNullCount() == 0) {
            return -1;
        }
        for (int row = 0, rows = vector.getValueCount(); row < rows; row++) {
            if (vector.isNull(row)) {
                return row;
            }
        }
        return -1;
    }

    /**
     * Rows {@code from} to {@code from + count} of a float32 column, over the column's data buffer itself: nothing
     * is copied until the request is staged into the kernel's arena.
     */
    static FloatBuffer float4Rows(Float4Vector vector, int from, int count) {
        return vector.getDataBuffer().nioBuffer((long) from * Float.BYTES, count * Float.BYTES).order(ARROW_ORDER)
                .asFloatBuffer();
    }

    /**
     * A tensor of {@code count} rows from {@code from}, of a vector that has null rows if {@code nullable}. Rows
     * of a float32 column without nulls among them are read where they lie ({@link Tensor#over}); otherwise they
     * are copied into an array of {@code count} elements (the chunk's, never the column's), null rows as 0 (Arrow
     * leaves the value under a null unspecified) and float64 rows by the policy above.
     */
    static Tensor rows(FieldVector vector, boolean nullable, int from, int count) {
        boolean nulls = nullable && anyNull(vector, from, count);
        if (vector instanceof Float4Vector floats && !nulls) {
            return Tensor.over(new int[] {count}, float4Rows(floats, from, count));
        }
        float[] values = new float[count];
        ArrowBuf data = vector.getDataBuffer();
        boolean wide = vector instanceof Float8Vector;
        for (int i = 0; i < count; i++) {
            int row = from + i;
            if (nulls && vector.isNull(row)) {
                continue;
            }
            values[i] = wide ? narrow(vector.getName(), row, data.getDouble((long) row * Double.BYTES))
                    : data.getFloat((long) row * Float.BYTES);
        }
        return Tensor.of(new int[] {count}, values);
    }

    /**
     * {@code value} rounded to float32 by the Float8 policy.
     *
     * @throws ColumnException naming the column, the row and the value when it is finite but beyond float32's range
     */
    static float narrow(String column, int row, double value) {
        float narrowed = (float) value;
        if (Float.isInfinite(narrowed) && !Double.isInfinite(value)) {
            throw new ColumnException("column '" + column + "' row " + row + " holds " + value
                    + ", beyond the float32 range the kernels compute in (|v| <= " + Float.MAX_VALUE + ")");
        }
        return narrowed;
    }

    /** A new, empty vector of {@code like}'s type, named {@code name}, from {@code like}'s allocator. */
    static FieldVector newLike(FieldVector like, String name, int rows) {
        FieldVector out = like instanceof Float8Vector ? new Float8Vector(name, like.getAllocator())
                : new Float4Vector(name, like.getAllocator());
        out.setInitialCapacity(rows);
        out.allocateNew();
        return out;
    }

    /** Writes {@code values} into rows {@code from} on of {@code out}, widening into a float64 column. */
    static void write(FieldVector out, int from, Tensor values) {
        int count = values.size();
        if (out instanceof Float4Vector floats) {
            values.copyTo(float4Rows(floats, from, count), 0);
            return;
        }
        ArrowBuf data = out.getDataBuffer();
        for (int i = 0; i < count; i++) {
            data.setDouble((long) (from + i) * Double.BYTES, values.get(i));
        }
    }

    /** Marks the first {@code rows} rows of {@code out} valid. */
    static void setAllValid(FieldVector out, int rows) {
        out.getValidityBuffer().setOne(0L, (long) BitVectorHelper.getValidityBufferSizeFromCount(rows));
    }

    /**
     * Sets {@code out}'s validity to the rows valid in every one of {@code inputs}, over {@code rows} rows: all
     * valid when no input has nulls, else the first nullable input's bitmap copied in bulk and the others' ANDed
     * in eight bytes at a time.
     */
    static void intersectValidity(FieldVector out, FieldVector[] inputs, boolean[] nullable, int rows) {
        ArrowBuf target = out.getValidityBuffer();
        long bytes = BitVectorHelper.getValidityBufferSizeFromCount(rows);
        boolean copied = false;
        for (int i = 0; i < inputs.length; i++) {
            if (!nullable[i]) {
                continue;
            }
            ArrowBuf source = inputs[i].getValidityBuffer();
            if (!copied) {
                target.setBytes(0, source, 0, bytes);
                copied = true;
                continue;
            }
            long b = 0;
            for (; b + Long.BYTES <= bytes; b += Long.BYTES) {
                target.setLong(b, target.getLong(b) & source.getLong(b));
            }
            for (; b < bytes; b++) {
                target.setByte(b, target.getByte(b) & source.getByte(b));
            }
        }
        if (!copied) {
            setAllValid(out, rows);
        }
    }
}
