package org.ringkernel.actors.cluster;

import java.util.List;
import java.util.Optional;
import org.ringkernel.actors.ErrorCode;
import org.ringkernel.actors.KernelRequestException;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.actors.KernelTiming;

/**
 * One answer between nodes: outputs, or an error code and message.
 *
 * @param seq the {@link WireRequest#seq()} it answers
 * @param outputs the output tensors, empty for an error
 * @param error the error, absent for a result
 * @param message the error's message, empty for a result
 * @param backend the backend that computed it
 * @param timing where its time went on the node that computed it
 */
public record WireResult(long seq, List<WireTensor> outputs, Optional<ErrorCode> error, String message, String backend,
                         KernelTiming timing) {

    /** Copies the outputs. */
    public WireResult {
        outputs = List.copyOf(outputs);
    }

    static WireResult of(long seq, KernelResult result) {
        return new WireResult(seq, WireTensor.of(result.outputs()), Optional.empty(), "", result.backend(),
                result.timing());
    }

    static WireResult failed(long seq, KernelRequestException error) {
        return failed(seq, error.code(), error.getMessage());
    }

    static WireResult failed(long seq, ErrorCode code, String message) {
        return new WireResult(seq, List.of(), Optional.of(code), message, "", KernelTiming.NONE);
    }

    /** Payload bytes, for the size limit between nodes. */
    long bytes() {
        return WireTensor.wireBytes(outputs) + message.length();
    }
}
