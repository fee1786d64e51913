package org.ringkernel.kernels.builtin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.ringkernel.bridge.kernel.BoundRequest;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * Runs a kernel's CPU implementation directly on heap arrays: binds the request, poisons every output element
 * with NaN, executes a batch of one, and wraps the outputs in tensors of the bound shapes. The poison makes an
 * element the kernel forgot to write fail any comparison.
 */
public final class HeapKernelRunner implements KernelRunner {
    private final AtomicLong requestIds = new AtomicLong();

    @Override
    public List<Tensor> run(KernelDefinition kernel, KernelRequest request) {
        BoundRequest bound = kernel.bind(request);
        int[][] shapes = bound.outputShapes();
        float[][] outputs = new float[shapes.length][];
        for (int o = 0; o < shapes.length; o++) {
            outputs[o] = new float[Math.toIntExact(Tensor.checkShape(shapes[o]))];
            Arrays.fill(outputs[o], Float.NaN);
        }
        HeapKernelCall call = new HeapKernelCall(requestIds.incrementAndGet(), request.inputs(), outputs,
                bound.params());
        kernel.cpu().executeBatch(List.of(call));
        List<Tensor> tensors = new ArrayList<>(shapes.length);
        for (int o = 0; o < shapes.length; o++) {
            tensors.add(Tensor.of(shapes[o], outputs[o]));
        }
        return List.copyOf(tensors);
    }

    @Override
    public String toString() {
        return "heap";
    }
}
