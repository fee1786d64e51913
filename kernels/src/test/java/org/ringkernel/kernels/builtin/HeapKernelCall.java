package org.ringkernel.kernels.builtin;

import java.nio.FloatBuffer;
import java.util.List;
import org.ringkernel.bridge.kernel.KernelCall;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * A {@link KernelCall} over heap arrays. Inputs are handed out read-only, so a kernel that writes into its
 * inputs fails instead of corrupting the caller's tensors.
 */
final class HeapKernelCall implements KernelCall {
    private final long requestId;
    private final List<Tensor> inputs;
    private final float[][] outputs;
    private final float[] params;

    HeapKernelCall(long requestId, List<Tensor> inputs, float[][] outputs, float[] params) {
        this.requestId = requestId;
        this.inputs = List.copyOf(inputs);
        this.outputs = outputs.clone();
        this.params = params.clone();
    }

    @Override
    public long requestId() {
        return requestId;
    }

    @Override
    public int inputCount() {
        return inputs.size();
    }

    @Override
    public int inputRank(int input) {
        return inputs.get(input).rank();
    }

    @Override
    public int inputDim(int input, int axis) {
        Tensor tensor = inputs.get(input);
        return tensor.dim(axis < 0 ? tensor.rank() + axis : axis);
    }

    @Override
    public FloatBuffer input(int input) {
        return FloatBuffer.wrap(inputs.get(input).data()).asReadOnlyBuffer();
    }

    @Override
    public int outputCount() {
        return outputs.length;
    }

    @Override
    public FloatBuffer output(int output) {
        return FloatBuffer.wrap(outputs[output]);
    }

    @Override
    public int paramCount() {
        return params.length;
    }

    @Override
    public float param(int index) {
        return params[index];
    }
}
