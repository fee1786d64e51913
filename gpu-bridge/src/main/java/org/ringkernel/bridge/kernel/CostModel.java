package org.ringkernel.bridge.kernel;

import java.util.List;

/**
 * A kernel's cost estimate: the {@link RequestCost} of a request, from its checked shapes and params. It is
 * called for every request on the path that stages it, so it only does arithmetic on shapes.
 */
@FunctionalInterface
public interface CostModel {

    /** The cost of {@code request}, whose shapes its signature has accepted. */
    RequestCost estimate(BoundRequest request);

    /**
     * The model of kernels that say nothing better: every input and output element is read or written once,
     * with one operation each, so the cost grows with the request's bytes.
     */
    static CostModel proportionalToBytes() {
        return request -> {
            double elements = elements(request);
            return new RequestCost(elements, elements * Float.BYTES);
        };
    }

    /** Elements of every input and output of {@code request}. */
    static double elements(BoundRequest request) {
        double elements = 0;
        List<Tensor> inputs = request.request().inputs();
        for (Tensor input : inputs) {
            elements += input.size();
        }
        for (int size : request.outputSizes()) {
            elements += size;
        }
        return elements;
    }
}
