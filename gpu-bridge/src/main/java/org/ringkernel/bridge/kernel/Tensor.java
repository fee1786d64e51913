package org.ringkernel.bridge.kernel;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A dense float32 tensor of rank 1 to {@link #MAX_RANK}, row-major, every dimension at least 1.
 *
 * <p>A tensor takes ownership of the data array it is given and hands the same array out again: copying
 * large inputs twice on the way to a kernel would cost more than the kernel. Callers must not change an
 * array after giving it to a tensor.
 *
 * <p>A tensor {@linkplain #over over a buffer} (off-heap column memory, say) reads the caller's buffer where it
 * lies: its elements are copied once, straight into the kernel's arena, and never into an array on the way.
 */
public final class Tensor {
    /** The most dimensions a tensor has. */
    public static final int MAX_RANK = 4;

    private final int[] shape;
    /** The elements of an array tensor; null for a tensor over a buffer. */
    private final float[] data;
    /** The elements of a tensor over a buffer, position 0 and limit its size; null for an array tensor. */
    private final FloatBuffer buffer;

    private Tensor(int[] shape, float[] data, FloatBuffer buffer) {
        this.shape = shape;
        this.data = data;
        this.buffer = buffer;
    }

    /** A rank-1 tensor holding {@code values}. */
    public static Tensor of(float... values) {
        return of(new int[] {values.length}, values);
    }

    /**
     * A tensor of the given shape over {@code data}.
     *
     * @throws IllegalArgumentException naming the offending dimension when the shape is empty, too long, has a
     *     dimension below 1, or does not hold exactly {@code data.length} elements
     */
    public static Tensor of(int[] shape, float[] data) {
        int[] dims = shape.clone();
        long count = checkShape(dims);
        if (count != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " holds " + count
                    + " elements but the data has " + data.length);
        }
        return new Tensor(dims, data, null);
    }

    /**
     * A tensor of the given shape over the remaining elements of {@code data}, which are not copied: the
     * caller keeps them unchanged until every request holding the tensor has completed. The tensor reads
     * through a read-only view and keeps its own position, so the caller's position and limit do not matter
     * afterwards.
     *
     * @throws IllegalArgumentException naming the offending dimension when the shape is not valid or does not
     *     hold exactly {@code data.remaining()} elements
     */
    public static Tensor over(int[] shape, FloatBuffer data) {
        int[] dims = shape.clone();
        long count = checkShape(dims);
        if (count != data.remaining()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " holds " + count
                    + " elements but the buffer has " + data.remaining());
        }
        return new Tensor(dims, null, data.slice().asReadOnlyBuffer());
    }

    /**
     * Checks that {@code shape} is a valid tensor shape.
     *
     * @return the number of elements it holds
     */
    public static long checkShape(int[] shape) {
        if (shape.length < 1 || shape.length > MAX_RANK) {
            throw new IllegalArgumentException("rank must be 1 to " + MAX_RANK + ", shape " + Arrays.toString(shape)
                    + " has rank " + shape.length);
        }
        long count = 1;
        for (int axis = 0; axis < shape.length; axis++) {
            if (shape[axis] < 1) {
                throw new IllegalArgumentException("dimension " + axis + " of shape " + Arrays.toString(shape)
                        + " is " + shape[axis] + ", must be at least 1");
            }
            count *= shape[axis];
            if (count > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds more than "
                        + Integer.MAX_VALUE + " elements");
            }
        }
        return count;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** The size of dimension {@code axis}. */
    public int dim(int axis) {
        return shape[axis];
    }

    /** The number of elements. */
    public int size() {
        return data != null ? data.length : buffer.limit();
    }

    /**
     * The tensor's own data array (not a copy); for a tensor {@linkplain #over over a buffer}, a new array
     * holding a copy of its elements.
     */
    public float[] data() {
        if (data != null) {
            return data;
        }
        float[] copy = new float[buffer.limit()];
        buffer.get(0, copy);
        return copy;
    }

    /** Whether the elements lie in a buffer the tensor was made {@linkplain #over over} rather than an array. */
    public boolean isBuffer() {
        return buffer != null;
    }

    /** A read-only view of the elements, position 0 and limit {@link #size()}, copying nothing. */
    public FloatBuffer buffer() {
        return data != null ? FloatBuffer.wrap(data).asReadOnlyBuffer() : buffer.duplicate();
    }

    /** Copies every element into {@code target} from element {@code index} on, without an array in between. */
    public void copyTo(FloatBuffer target, int index) {
        if (data != null) {
            target.put(index, data);
        } else {
            target.put(index, buffer, 0, buffer.limit());
        }
    }

    /** Element {@code index}, counting row-major. */
    public float get(int index) {
        return data != null ? data[index] : buffer.get(index);
    }

    /** Equal to a tensor of the same shape and elements, bit for bit, whether they lie in an array or a buffer. */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Tensor that) || !Arrays.equals(shape, that.shape)) {
            return false;
        }
        if (data != null && that.data != null) {
            return Arrays.equals(data, that.data);
        }
        for (int i = 0, size = size(); i < size; i++) {
            if (Float.floatToIntBits(get(i)) != Float.floatToIntBits(that.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        if (data != null) {
            return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
        }
        // Arrays.hashCode's formula, so that equal tensors hash alike whichever way they hold their elements.
        int hash = 1;
        for (int i = 0, size = size(); i < size; i++) {
            hash = 31 * hash + Float.floatToIntBits(get(i));
        }
        return 31 * Arrays.hashCode(shape) + hash;
    }

    @Override
    public String toString() {
        int size = size();
        String values = size <= 8 ? Arrays.toString(data()) : "[" + get(0) + ", " + get(1) + ", ... ("
                + size + " elements)]";
        return "Tensor" + Arrays.toString(shape) + values;
    }
}
