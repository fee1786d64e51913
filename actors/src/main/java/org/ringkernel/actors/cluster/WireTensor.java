package org.ringkernel.actors.cluster;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * A tensor between nodes: its shape and its elements as little-endian float32 bytes (a CBOR byte string, so
 * floats never turn into text and back).
 *
 * @param shape the dimensions
 * @param data {@code 4 × elements} bytes
 */
public record WireTensor(int[] shape, byte[] data) {

    public static WireTensor of(Tensor tensor) {
        float[] values = tensor.data();
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return new WireTensor(tensor.shape(), bytes.array());
    }

    static List<WireTensor> of(List<Tensor> tensors) {
        return tensors.stream().map(WireTensor::of).toList();
    }

    /**
     * @throws IllegalArgumentException when the bytes do not hold exactly the shape's elements
     */
    public Tensor toTensor() {
        if (shape == null || data == null || data.length % Float.BYTES != 0) {
            throw new IllegalArgumentException("a tensor needs a shape and a whole number of float32 values, got shape "
                    + Arrays.toString(shape) + " and " + (data == null ? "no" : data.length) + " bytes");
        }
        float[] values = new float[data.length / Float.BYTES];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return Tensor.of(shape, values);
    }

    static List<Tensor> toTensors(List<WireTensor> tensors) {
        return tensors.stream().map(WireTensor::toTensor).toList();
    }

    /** Bytes of payload, for the size limit between nodes. */
    static long bytes(List<Tensor> tensors) {
        return tensors.stream().mapToLong(tensor -> (long) tensor.size() * Float.BYTES + 4L * tensor.rank()).sum();
    }

    /** Bytes of payload of tensors already in wire form. */
    static long wireBytes(List<WireTensor> tensors) {
        return tensors.stream().mapToLong(tensor -> tensor.data.length + 4L * tensor.shape.length).sum();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WireTensor that && Arrays.equals(shape, that.shape) && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "WireTensor" + Arrays.toString(shape) + "(" + data.length + " bytes)";
    }
}
