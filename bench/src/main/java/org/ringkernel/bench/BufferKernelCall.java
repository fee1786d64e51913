package org.ringkernel.bench;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.ringkernel.bridge.kernel.KernelCall;
import org.ringkernel.bridge.ring.SharedMemory;

/**
 * A {@link KernelCall} over direct buffers laid out as the arena lays out tensors (line-aligned, little-endian
 * float32, row-major), so a kernel's CPU implementation runs on its own, without rings: every call hands out
 * fresh views, inputs read-only, as the CPU backend's calls do.
 */
final class BufferKernelCall implements KernelCall {
    private final ByteBuffer[] inputs;
    private final int[][] inputShapes;
    private final ByteBuffer[] outputs;
    private final float[] params;

    BufferKernelCall(ByteBuffer[] inputs, int[][] inputShapes, ByteBuffer[] outputs, float[] params) {
        this.inputs = inputs;
        this.inputShapes = inputShapes;
        this.outputs = outputs;
        this.params = params;
    }

    /** Direct, aligned memory holding a copy of {@code values}. */
    static ByteBuffer direct(float[] values) {
        ByteBuffer buffer = SharedMemory.allocateAligned(values.length * Float.BYTES);
        buffer.asFloatBuffer().put(values);
        return buffer;
    }

    /** Direct, aligned memory for {@code count} floats. */
    static ByteBuffer direct(int count) {
        return SharedMemory.allocateAligned(count * Float.BYTES);
    }

    @Override
    public long requestId() {
        return 0;
    }

    @Override
    public int inputCount() {
        return inputs.length;
    }

    @Override
    public int inputRank(int input) {
        return inputShapes[input].length;
    }

    @Override
    public int inputDim(int input, int axis) {
        int[] shape = inputShapes[input];
        return shape[axis < 0 ? shape.length + axis : axis];
    }

    @Override
    public FloatBuffer input(int input) {
        return view(inputs[input]).asReadOnlyBuffer();
    }

    @Override
    public int outputCount() {
        return outputs.length;
    }

    @Override
    public FloatBuffer output(int output) {
        return view(outputs[output]);
    }

    @Override
    public int paramCount() {
        return params.length;
    }

    @Override
    public float param(int index) {
        return params[index];
    }

    private static FloatBuffer view(ByteBuffer memory) {
        return memory.slice(0, memory.capacity()).order(memory.order()).asFloatBuffer();
    }
}
