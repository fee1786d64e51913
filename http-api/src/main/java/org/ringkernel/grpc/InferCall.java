package org.ringkernel.grpc;

import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.grpc.inference.ModelStreamInferResponse;
import org.ringkernel.inference.InferenceModels;
import org.ringkernel.inference.InferenceRequest;
import org.ringkernel.inference.InferenceResponse;

/**
 * One checked inference of a stream, ready for its kernel.
 *
 * @param kernel the kernel the model names
 * @param definition the kernel's definition, whose signature names the outputs
 * @param request the request as the protocol states it
 * @param kernelRequest the kernel's request
 * @param raw whether outputs go in {@code raw_output_contents} (the request sent raw inputs)
 */
record InferCall(KernelRef kernel, KernelDefinition definition, InferenceRequest request, KernelRequest kernelRequest,
                 boolean raw) {

    /** The kernel's answer as the stream's response: the outputs, or the request's error. */
    ModelStreamInferResponse answer(KernelResult result) {
        if (result.error().isPresent()) {
            return InferResponses.error(InferenceModels.explain(result.error().get()), definition.id(), request.id());
        }
        InferenceResponse response = InferenceResponse.of(definition.id(), definition.signature().outputs(), request,
                result.outputs());
        return ModelStreamInferResponse.newBuilder().setInferResponse(InferResponses.of(response, raw)).build();
    }
}
