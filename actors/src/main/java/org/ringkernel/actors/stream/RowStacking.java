package org.ringkernel.actors.stream;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.ringkernel.actors.KernelFailedException;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * How a flow runs several small requests of a row-wise kernel ({@code KernelSignature.rowwise()}) as one: their
 * inputs stacked along the first axis into one request, whose outputs are cut back into each request's rows. The
 * kernel then stages, computes and completes one request where it would have handled many, and its actor sees one
 * message instead of one per request.
 *
 * <p>Requests stack when each is small ({@link #MAX_REQUEST_FLOATS}), its inputs are arrays (not buffers) sharing one
 * first dimension, and they agree in the number of inputs, every input's trailing dimensions, the params and the
 * routing key; a stack holds at most {@link #MAX_STACK_FLOATS} input floats. A stacked request is bound and checked
 * as one, so a request it holds whose inputs the kernel rejects is sent again alone by the flow, and gets the error
 * that names its own element.
 */
final class RowStacking {
    /** The largest request, in input floats, worth stacking: beyond it the copies cost more than the messages saved. */
    static final int MAX_REQUEST_FLOATS = 4_096;
    /** The most input floats of one stack: 256 KiB, well inside the smallest useful arena. */
    static final int MAX_STACK_FLOATS = 65_536;

    private RowStacking() {
    }

    /** Input floats of {@code request} when it may be stacked at all; -1 when it must go alone. */
    static int stackableFloats(KernelRequest request) {
        List<Tensor> inputs = request.inputs();
        if (inputs.isEmpty()) {
            return -1;
        }
        int rows = inputs.get(0).isBuffer() ? -1 : inputs.get(0).dim(0);
        long floats = 0;
        for (Tensor input : inputs) {
            if (input.isBuffer() || input.dim(0) != rows) {
                return -1;
            }
            floats += input.size();
        }
        return floats <= MAX_REQUEST_FLOATS ? (int) floats : -1;
    }

    /** Whether {@code next} stacks onto a stack that {@code first} started: same inputs but rows, same params. */
    static boolean stacksOnto(KernelRequest first, KernelRequest next) {
        List<Tensor> a = first.inputs();
        List<Tensor> b = next.inputs();
        if (a.size() != b.size() || !first.params().equals(next.params())
                || !first.routingKey().equals(next.routingKey())) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            Tensor x = a.get(i);
            Tensor y = b.get(i);
            if (x.rank() != y.rank()) {
                return false;
            }
            for (int axis = 1; axis < x.rank(); axis++) {
                if (x.dim(axis) != y.dim(axis)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** One request whose inputs are those of {@code requests} (at least two, stacking) one after another. */
    static KernelRequest stack(List<KernelRequest> requests) {
        KernelRequest first = requests.get(0);
        int inputCount = first.inputs().size();
        List<Tensor> stacked = new ArrayList<>(inputCount);
        for (int i = 0; i < inputCount; i++) {
            int rows = 0;
            int floats = 0;
            for (KernelRequest request : requests) {
                Tensor input = request.inputs().get(i);
                rows += input.dim(0);
                floats += input.size();
            }
            float[] data = new float[floats];
            int at = 0;
            for (KernelRequest request : requests) {
                float[] part = request.inputs().get(i).data();
                System.arraycopy(part, 0, data, at, part.length);
                at += part.length;
            }
            int[] shape = first.inputs().get(i).shape();
            shape[0] = rows;
            stacked.add(Tensor.of(shape, data));
        }
        return new KernelRequest(stacked, first.params(), first.routingKey());
    }

    /**
     * The result of each of {@code requests} (the ones {@code answer} stacked) out of that stack's successful
     * answer: each gets its own rows of every output. A kernel that gave an output whose first dimension is not the
     * rows stacked broke its row-wise declaration: each request then fails with an error that says so.
     */
    static List<KernelResult> unstack(List<KernelRequest> requests, KernelResult answer) {
        int rows = 0;
        for (KernelRequest request : requests) {
            rows += request.inputs().get(0).dim(0);
        }
        List<Tensor> outputs = answer.outputs();
        for (Tensor output : outputs) {
            if (output.dim(0) != rows || output.isBuffer()) {
                return failAll(requests, new KernelFailedException(answer.kernelId(), "kernel '" + answer.kernelId()
                        + "' is declared row-wise, but for " + rows + " stacked rows it gave an output of shape "
                        + Arrays.toString(output.shape())));
            }
        }
        List<KernelResult> results = new ArrayList<>(requests.size());
        int row = 0;
        for (KernelRequest request : requests) {
            int count = request.inputs().get(0).dim(0);
            Tensor[] own = new Tensor[outputs.size()];
            for (int o = 0; o < own.length; o++) {
                Tensor output = outputs.get(o);
                int rowFloats = output.size() / rows;
                int[] shape = output.shape();
                shape[0] = count;
                own[o] = Tensor.of(shape, Arrays.copyOfRange(output.data(), row * rowFloats, (row + count) * rowFloats));
            }
            results.add(new KernelResult(answer.kernelId(), request, List.of(own), Optional.empty(), answer.backend(),
                    answer.timing(), answer.node()));
            row += count;
        }
        return results;
    }

    private static List<KernelResult> failAll(List<KernelRequest> requests, KernelFailedException error) {
        return requests.stream().map(request -> KernelResult.failed(error.kernelId(), request, error)).toList();
    }
}
