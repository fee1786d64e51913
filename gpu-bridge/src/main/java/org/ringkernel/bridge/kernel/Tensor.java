package org.ringkernel.bridge.kernel;

import java.util.Arrays;

/**
 * A dense float32 tensor of rank 1 to {@link #MAX_RANK}, row-major, every dimension at least 1.
 *
 * <p>A tensor takes ownership of the data array it is given and hands the same array out again: copying
 * large inputs twice on the way to a kernel would cost more than the kernel. Callers must not change an
 * array after giving it to a tensor.
 */
public final class Tensor {
    /** The most dimensions a tensor has. */
    public static final int MAX_RANK = 4;

    private final int[] shape;
    private final float[] data;

    private Tensor(int[] shape, float[] data) {
        this.shape = shape;
        this.data = data;
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
        return new Tensor(dims, data);
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
        return data.length;
    }

    /** The tensor's own data array (not a copy). */
    public float[] data() {
        return data;
    }

    /** Element {@code index}, counting row-major. */
    public float get(int index) {
        return data[index];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tensor that && Arrays.equals(shape, that.shape) && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        String values = data.length <= 8 ? Arrays.toString(data) : "[" + data[0] + ", " + data[1] + ", ... ("
                + data.length + " elements)]";
        return "Tensor" + Arrays.toString(shape) + values;
    }
}
