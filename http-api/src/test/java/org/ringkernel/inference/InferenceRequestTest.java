package org.ringkernel.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.kernels.builtin.BuiltinKernels;

/** Named tensors and parameters of the protocol to kernel requests, and every way they can fail to fit. */
class InferenceRequestTest {

    @Test
    void inputsGoInTheSignaturesOrderAndParametersByName() {
        InferenceRequest request = new InferenceRequest("7", List.of(fp32("y", 2), fp32("x", 2)),
                Map.of("alpha", 3L), List.of());

        KernelRequest kernelRequest = request.toKernelRequest(BuiltinKernels.get("saxpy"));

        assertEquals(List.of(Tensor.of(0f, 1f), Tensor.of(0f, 1f)), kernelRequest.inputs());
        assertEquals(Map.of("alpha", 3.0), kernelRequest.params());
    }

    @Test
    void aParameterMayBeADoubleOrAStringHoldingANumber() {
        assertEquals(Map.of("alpha", 0.5), request(Map.of("alpha", 0.5)).params());
        assertEquals(Map.of("alpha", 2.5), request(Map.of("alpha", " 2.5")).params());
        assertEquals(Map.of(), request(Map.of("priority", 1L)).params(), "a server parameter is not the kernel's");
    }

    @Test
    void everyMisfitIsInvalidAndNamesWhatDoesNotFit() {
        assertInvalid("model 'saxpy' has no parameter 'b'; its parameters are alpha",
                new InferenceRequest("", List.of(fp32("x", 2), fp32("y", 2)), Map.of("b", 1L), List.of()), "saxpy");
        assertInvalid("parameter 'alpha' is \"two\", not a number",
                new InferenceRequest("", List.of(fp32("x", 2), fp32("y", 2)), Map.of("alpha", "two"), List.of()), "saxpy");
        assertInvalid("parameter 'alpha' is true; kernel parameters are numbers (int64, double, or a string holding one)",
                new InferenceRequest("", List.of(fp32("x", 2), fp32("y", 2)), Map.of("alpha", true), List.of()), "saxpy");
        assertInvalid("model 'square' has no input 'z'; its inputs are x",
                new InferenceRequest("", List.of(fp32("z", 2)), Map.of(), List.of()), "square");
        assertInvalid("model 'matmul' needs input 'b'; its inputs are a, b",
                new InferenceRequest("", List.of(new NamedTensor("a", "FP32", new long[] {1, 1}, new float[1])),
                        Map.of(), List.of()), "matmul");
        assertInvalid("input 'x' is given twice",
                new InferenceRequest("", List.of(fp32("x", 1), fp32("x", 1)), Map.of(), List.of()), "square");
        assertInvalid("input 'x' has datatype INT32; kernels take FP32",
                new InferenceRequest("", List.of(new NamedTensor("x", "INT32", new long[] {1}, new float[1])),
                        Map.of(), List.of()), "square");
        assertInvalid("input 'x' has shape [2, 3] (6 elements) but 5 values",
                new InferenceRequest("", List.of(new NamedTensor("x", "FP32", new long[] {2, 3}, new float[5])),
                        Map.of(), List.of()), "square");
        assertInvalid("input 'x' has shape [-1]: dimension 0 is out of range",
                new InferenceRequest("", List.of(new NamedTensor("x", "FP32", new long[] {-1}, new float[0])),
                        Map.of(), List.of()), "square");
        assertInvalid("input 'x' has shape [1, 1, 1, 1, 1]; kernels take a rank from 1 to 4",
                new InferenceRequest("", List.of(new NamedTensor("x", "FP32", new long[] {1, 1, 1, 1, 1},
                        new float[1])), Map.of(), List.of()), "square");
        assertInvalid("input 'beta' is given without 'gamma', which comes before it in model 'layer_norm'",
                new InferenceRequest("", List.of(fp32("x", 4), fp32("beta", 4)), Map.of(), List.of()), "layer_norm");
        assertInvalid("model 'square' has no output 'z'; its outputs are y",
                new InferenceRequest("", List.of(fp32("x", 1)), Map.of(), List.of("z")), "square");
    }

    @Test
    void theResponseEchoesTheIdAndKeepsOnlyTheRequestedOutputs() {
        InferenceRequest request = new InferenceRequest("req-9", List.of(fp32("x", 2)), Map.of(), List.of("y"));
        InferenceResponse response = InferenceResponse.of("square",
                BuiltinKernels.get("square").signature().outputs(), request, List.of(Tensor.of(new int[] {2},
                        new float[] {0f, 1f})));

        assertEquals("req-9", response.id());
        assertEquals(List.of(new NamedTensor("y", "FP32", new long[] {2}, new float[] {0f, 1f})), response.outputs());
    }

    private static KernelRequest request(Map<String, Object> parameters) {
        return new InferenceRequest("", List.of(fp32("x", 2), fp32("y", 2)), parameters, List.of())
                .toKernelRequest(BuiltinKernels.get("saxpy"));
    }

    private static void assertInvalid(String message, InferenceRequest request, String kernel) {
        InferenceException e = assertThrows(InferenceException.class,
                () -> request.toKernelRequest(BuiltinKernels.get(kernel)));
        assertEquals(InferenceStatus.INVALID_ARGUMENT, e.status());
        assertEquals(message, e.getMessage());
    }

    private static NamedTensor fp32(String name, int n) {
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = i;
        }
        return new NamedTensor(name, "FP32", new long[] {n}, data);
    }
}
