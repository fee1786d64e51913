package org.ringkernel.actors.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ringkernel.actors.RequestTrace;
import org.ringkernel.actors.TraceParent;
import org.ringkernel.bridge.kernel.KernelRequest;

/**
 * One request between nodes.
 *
 * @param seq the sending node's number for it, echoed by its {@link WireResult}
 * @param inputs the input tensors
 * @param params the params by name
 * @param timeoutNanos what is left of its deadline when sent (clocks of two nodes do not compare, durations do)
 * @param traceParent the {@code traceparent} of its sampled trace, so the entity's node continues it; empty where
 *     the request is not traced
 */
public record WireRequest(long seq, List<WireTensor> inputs, Map<String, Double> params, long timeoutNanos,
                          String traceParent) {

    /** Copies the inputs and params. */
    public WireRequest {
        inputs = List.copyOf(inputs);
        params = Map.copyOf(params);
        Objects.requireNonNull(traceParent, "traceParent");
    }

    /** An untraced request. */
    public WireRequest(long seq, List<WireTensor> inputs, Map<String, Double> params, long timeoutNanos) {
        this(seq, inputs, params, timeoutNanos, "");
    }

    static WireRequest of(long seq, KernelRequest request, Duration timeout, RequestTrace trace) {
        return new WireRequest(seq, WireTensor.of(request.inputs()), request.params(), timeout.toNanos(),
                trace.traceParent().map(TraceParent::header).orElse(""));
    }

    /** The trace to continue; a value that is not a sampled {@code traceparent} continues none. */
    RequestTrace trace() {
        return traceParent.isEmpty() ? RequestTrace.NONE
                : TraceParent.parse(traceParent).map(RequestTrace::remote).orElse(RequestTrace.NONE);
    }

    /**
     * @throws IllegalArgumentException when a tensor's bytes do not match its shape
     */
    KernelRequest toRequest() {
        return new KernelRequest(WireTensor.toTensors(inputs), params);
    }
}
