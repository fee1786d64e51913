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

    /** {@code tensor} as it travels: its shape, and its values as little-endian floats. */
    public static WireTensor of(Tensor tensor) {
        float[] values = tensor.data();
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return new WireTensor(tensor.shape(), bytes.array());
    }

    static List<WireTensor> of(List<Tensor> tensors) {
        // Loops rather than streams: these run for every request that crosses nodes.
        WireTensor[] wire = new WireTensor[tensors.size()];
        for (int i = 0; i < wire.length; i++) {
            wire[i] = of(tensors.get(i));
        }
        return List.of(wire);
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
        Tensor[] plain = new Tensor[tensors.size()];
        for (int i = 0; i < plain.length; i++) {
            plain[i] = tensors.get(i).toTensor();
        }
        return List.of(plain);
    }

    /** Bytes of payload, for the size limit between nodes. */
    static long bytes(List<Tensor> tensors) {
        long bytes = 0;
        for (Tensor tensor : tensors) {
            bytes += (long) tensor.size() * Float.BYTES + 4L * tensor.rank();
        }
        return bytes;
    }

    /** Bytes of payload of tensors already in wire form. */
    static long wireBytes(List<WireTensor> tensors) {
        long bytes = 0;
        for (WireTensor tensor : tensors) {
            bytes += tensor.data.length + 4L * tensor.shape.length;
        }
        return bytes;
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
