package org.ringkernel.kernels.gpucheck;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.ringkernel.bridge.kernel.BoundRequest;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.runtime.Completion;
import org.ringkernel.kernels.builtin.BuiltinKernels;

/**
 * {@code echo} requests, bound once, beside the inputs they carry, so that what comes back can be held against
 * what was sent: exactly, bit for bit. The measures give every request values of its own, so an output left
 * over from another request (a kernel that skipped one) cannot pass for the right one.
 */
final class EchoRequests {
    private static final KernelDefinition ECHO = BuiltinKernels.get("echo");

    private final List<float[]> inputs;
    private final List<BoundRequest> requests;

    private EchoRequests(List<float[]> inputs) {
        this.inputs = inputs;
        this.requests = new ArrayList<>(inputs.size());
        inputs.forEach(input -> requests.add(ECHO.bind(KernelRequest.of(Tensor.of(input)))));
    }

    /** Requests carrying {@code inputs}, which they own from now on. */
    static EchoRequests of(List<float[]> inputs) {
        return new EchoRequests(inputs);
    }

    /** {@code count} requests of {@code floats} random values each. */
    static EchoRequests random(Random random, int count, int floats) {
        List<float[]> inputs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            inputs.add(RandomFloats.of(random, floats));
        }
        return new EchoRequests(inputs);
    }

    static KernelDefinition kernel() {
        return ECHO;
    }

    int size() {
        return requests.size();
    }

    BoundRequest get(int index) {
        return requests.get(index);
    }

    /** The requests {@code from} (inclusive) to {@code to} (exclusive), for one run whose ids count from 0. */
    List<BoundRequest> range(int from, int to) {
        return requests.subList(from, to);
    }

    /** The input of request {@code index}, as the pinned memory of a baseline takes it. */
    float[] input(int index) {
        return inputs.get(index);
    }

    /**
     * Checks every completion of a run over {@link #range(int, int) range(first, …)} against its input.
     *
     * @throws CheckFailure naming the measure, the request and the first element that differs
     */
    void requireAll(String measure, List<Completion> completions, int first) {
        for (Completion completion : completions) {
            require(measure, first + (int) completion.requestId(), completion.outputs().get(0));
        }
    }

    /**
     * Checks that request {@code index} came back exactly as it was sent.
     *
     * @throws CheckFailure naming the measure, the request and the first element that differs
     */
    void require(String measure, int index, Tensor received) {
        float[] sent = inputs.get(index);
        float[] got = received.data();
        int mismatch = Arrays.mismatch(sent, got);
        if (mismatch >= 0) {
            throw new CheckFailure(measure + ": request " + index + " came back wrong"
                    + (mismatch >= Math.min(sent.length, got.length) ? " (" + got.length + " elements instead of "
                    + sent.length + ")" : " at element " + mismatch + ": sent " + sent[mismatch] + ", got "
                    + got[mismatch]));
        }
    }
}
