package org.ringkernel.grpc;

import java.util.List;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.bridge.kernel.KernelRequest;

/**
 * One checked inference: the kernel, its request, and how to answer.
 *
 * @param kernel the kernel the model names
 * @param request the kernel's request
 * @param reply how the answer is written
 */
record InferCall(KernelRef kernel, KernelRequest request, Reply reply) {

    /**
     * @param model the model name, echoed
     * @param id the request's id, echoed
     * @param names the kernel's output names, in the order of its results' outputs
     * @param outputs the outputs asked for, in the order to return them; empty for all
     * @param raw whether outputs go in {@code raw_output_contents} (the request sent raw inputs)
     */
    record Reply(String model, String id, List<String> names, List<String> outputs, boolean raw) {

        Reply {
            names = List.copyOf(names);
            outputs = List.copyOf(outputs);
        }
    }
}
