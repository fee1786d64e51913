package org.ringkernel.data.tensor;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * An immutable n-dimensional float32 array with a shape: the value that tensor operations and
 * {@link TensorPipeline}s take and give.
 *
 * <p>It is a view over the kernels' own {@link Tensor}, so going to a kernel and back copies nothing; its own
 * name keeps it apart from that wire type, which it adds creation, reshaping, indexed access and a row-major
 * layout contract to. Like the kernels' tensors it has rank 1 to {@link Tensor#MAX_RANK} and every dimension
 * at least 1.
 *
 * <p>Layout: row-major (C order), the last index varying fastest.
 *
 * <table class="striped">
 *   <caption>Where element {@code [i0, ..., i(r-1)]} of a shape {@code [d0, ..., d(r-1)]} lies</caption>
 *   <thead><tr><th>Quantity</th><th>Value</th></tr></thead>
 *   <tbody>
 *     <tr><td>stride of axis {@code a}</td><td>{@code d(a+1) · ... · d(r-1)}, 1 for the last axis</td></tr>
 *     <tr><td>flat index</td><td>{@code Σ ia · stride(a)}</td></tr>
 *     <tr><td>size</td><td>{@code d0 · ... · d(r-1)}, at most {@link Integer#MAX_VALUE}</td></tr>
 *   </tbody>
 * </table>
 */
public final class NdArray {
    private final Tensor tensor;

    private NdArray(Tensor tensor) {
        this.tensor = tensor;
    }

    /**
     * An array of the given shape holding a copy of {@code data}, row-major.
     *
     * @param data the elements, row-major; copied, so later changes to it do not show
     * @param shape the dimensions, 1 to {@link Tensor#MAX_RANK} of them, each at least 1
     * @return the array
     * @throws IllegalArgumentException naming the shape when it is invalid or does not hold exactly
     *     {@code data.length} elements
     */
    public static NdArray of(float[] data, int... shape) {
        Objects.requireNonNull(data, "data");
        return new NdArray(Tensor.of(shape, data.clone()));
    }

    /**
     * A view of a kernel tensor, sharing its array: a {@link Tensor}'s array is never changed once made (its
     * own contract), so nothing is copied.
     *
     * @param tensor a kernel's input or output
     * @return the same values and shape as an {@code NdArray}
     */
    public static NdArray of(Tensor tensor) {
        return new NdArray(Objects.requireNonNull(tensor, "tensor"));
    }

    /**
     * An array of zeros.
     *
     * @param shape the dimensions
     * @return the array
     * @throws IllegalArgumentException naming the shape when it is invalid
     */
    public static NdArray zeros(int... shape) {
        return new NdArray(Tensor.of(shape, new float[(int) Tensor.checkShape(shape)]));
    }

    /**
     * An array of values drawn uniformly from {@code [-1, 1)}; the same seed and shape give the same values.
     *
     * @param seed the seed of the generator
     * @param shape the dimensions
     * @return the array
     * @throws IllegalArgumentException naming the shape when it is invalid
     */
    public static NdArray random(long seed, int... shape) {
        float[] data = new float[(int) Tensor.checkShape(shape)];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextDouble(-1.0, 1.0);
        }
        return new NdArray(Tensor.of(shape, data));
    }

    /**
     * The same elements in another shape of the same size; nothing is copied, and the same shape gives this array.
     * One dimension may be {@code -1}: it takes whatever size makes the element counts agree.
     *
     * @param shape the new dimensions
     * @return the reshaped array
     * @throws IllegalArgumentException naming both shapes when the sizes differ, more than one dimension is
     *     {@code -1}, or the new shape is invalid
     */
    public NdArray reshape(int... shape) {
        int[] resolved = shape.clone();
        int inferred = -1;
        long known = 1;
        for (int axis = 0; axis < resolved.length; axis++) {
            if (resolved[axis] == -1) {
                if (inferred >= 0) {
                    throw new IllegalArgumentException("cannot reshape " + Arrays.toString(tensor.shape()) + " to "
                            + Arrays.toString(shape) + ": only one dimension may be -1");
                }
                inferred = axis;
            } else {
                known *= resolved[axis];
            }
        }
        boolean fits = inferred < 0 ? known == size() : known > 0 && size() % known == 0;
        if (!fits) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(tensor.shape()) + " ("
                    + size() + " elements) to " + Arrays.toString(shape));
        }
        if (inferred >= 0) {
            resolved[inferred] = (int) (size() / known);
        }
        if (Arrays.equals(resolved, tensor.shape())) {
            return this;
        }
        return new NdArray(Tensor.of(resolved, tensor.data()));
    }

    /**
     * The element at {@code index}, one coordinate per dimension.
     *
     * @param index the coordinates, as many as the rank
     * @return the element
     * @throws IndexOutOfBoundsException naming the axis, coordinate and shape when an index is out of range or
     *     there are not as many coordinates as dimensions
     */
    public float get(int... index) {
        return tensor.get(flatIndex(index));
    }

    /**
     * The element at a row-major flat index.
     *
     * @param flatIndex from 0 to {@link #size()} - 1
     * @return the element
     * @throws IndexOutOfBoundsException when the index is out of range
     */
    public float getFlat(int flatIndex) {
        Objects.checkIndex(flatIndex, size());
        return tensor.get(flatIndex);
    }

    /**
     * Where element {@code index} lies in the row-major order (see the layout table above).
     *
     * @param index the coordinates, as many as the rank
     * @return the flat index
     * @throws IndexOutOfBoundsException naming the axis, coordinate and shape when out of range
     */
    public int flatIndex(int... index) {
        int[] shape = tensor.shape();
        if (index.length != shape.length) {
            throw new IndexOutOfBoundsException(index.length + " coordinates " + Arrays.toString(index)
                    + " for an array of rank " + shape.length + ", shape " + Arrays.toString(shape));
        }
        int flat = 0;
        for (int axis = 0; axis < shape.length; axis++) {
            if (index[axis] < 0 || index[axis] >= shape[axis]) {
                throw new IndexOutOfBoundsException("coordinate " + index[axis] + " on axis " + axis
                        + " is outside shape " + Arrays.toString(shape));
            }
            flat = flat * shape[axis] + index[axis];
        }
        return flat;
    }

    /**
     * A copy of the shape.
     *
     * @return the dimensions
     */
    public int[] shape() {
        return tensor.shape();
    }

    /**
     * The number of dimensions.
     *
     * @return the rank, 1 to {@link Tensor#MAX_RANK}
     */
    public int rank() {
        return tensor.rank();
    }

    /**
     * The size of one dimension; negative axes count from the end.
     *
     * @param axis from {@code -rank} to {@code rank - 1}
     * @return the dimension
     * @throws IndexOutOfBoundsException when there is no such axis
     */
    public int dim(int axis) {
        int resolved = axis < 0 ? rank() + axis : axis;
        Objects.checkIndex(resolved, rank());
        return tensor.dim(resolved);
    }

    /**
     * The number of elements.
     *
     * @return the product of the dimensions
     */
    public int size() {
        return tensor.size();
    }

    /**
     * A copy of the elements, row-major.
     *
     * @return a new array the caller owns
     */
    public float[] toArray() {
        return tensor.data().clone();
    }

    /**
     * The kernel tensor this array views, for a {@code KernelRequest}; it shares the array's data.
     *
     * @return the tensor
     */
    public Tensor toTensor() {
        return tensor;
    }

    /**
     * Equal when shape and every element are equal ({@link Float#compare} semantics for each element).
     *
     * @param other the object to compare with
     * @return whether both hold the same shape and elements
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof NdArray that && tensor.equals(that.tensor);
    }

    @Override
    public int hashCode() {
        return tensor.hashCode();
    }

    @Override
    public String toString() {
        float[] data = tensor.data();
        String values = data.length <= 8 ? Arrays.toString(data)
                : "[" + data[0] + ", " + data[1] + ", ... (" + data.length + " elements)]";
        return "NdArray" + Arrays.toString(tensor.shape()) + values;
    }
}
