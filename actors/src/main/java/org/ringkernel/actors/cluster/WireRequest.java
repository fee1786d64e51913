package org.ringkernel.actors.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.ringkernel.bridge.kernel.KernelRequest;

/**
 * One request between nodes.
 *
 * @param seq the sending node's number for it, echoed by its {@link WireResult}
 * @param inputs the input tensors
 * @param params the params by name
 * @param timeoutNanos what is left of its deadline when sent (clocks of two nodes do not compare, durations do)
 */
public record WireRequest(long seq, List<WireTensor> inputs, Map<String, Double> params, long timeoutNanos) {

    public WireRequest {
        inputs = List.copyOf(inputs);
        params = Map.copyOf(params);
    }

    static WireRequest of(long seq, KernelRequest request, Duration timeout) {
        return new WireRequest(seq, WireTensor.of(request.inputs()), request.params(), timeout.toNanos());
    }

    /**
     * @throws IllegalArgumentException when a tensor's bytes do not match its shape
     */
    KernelRequest toRequest() {
        return new KernelRequest(WireTensor.toTensors(inputs), params);
    }
}
