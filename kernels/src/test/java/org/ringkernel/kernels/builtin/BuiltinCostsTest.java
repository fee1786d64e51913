package org.ringkernel.kernels.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.RequestCost;
import org.ringkernel.bridge.kernel.Tensor;

/** Each built-in kernel's cost estimate against numbers worked out by hand from the table in BuiltinCosts. */
class BuiltinCostsTest {

    private static RequestCost cost(String id, KernelRequest request) {
        KernelDefinition kernel = BuiltinKernels.get(id);
        return kernel.cost(kernel.bind(request));
    }

    private static Tensor zeros(int... shape) {
        int size = 1;
        for (int dim : shape) {
            size *= dim;
        }
        return Tensor.of(shape, new float[size]);
    }

    @Test
    void elementwiseKernelsCostPerElement() {
        Tensor x = zeros(10, 100);
        assertEquals(new RequestCost(1000, 8000), cost("echo", KernelRequest.of(x)));
        assertEquals(new RequestCost(1000, 8000), cost("square", KernelRequest.of(x)));
        assertEquals(new RequestCost(1000, 12000), cost("add", KernelRequest.of(x, x)));
        assertEquals(new RequestCost(2000, 12000), cost("saxpy", KernelRequest.of(x, x)));
    }

    @Test
    void rowKernelsReadEachRowTwice() {
        Tensor x = zeros(10, 100);
        assertEquals(new RequestCost(3000, 12000), cost("normalize", KernelRequest.of(x)));
        assertEquals(new RequestCost(5000, 12000), cost("softmax", KernelRequest.of(x)));
        assertEquals(new RequestCost(8000, 12000), cost("layer_norm", KernelRequest.of(x)));
        assertEquals(new RequestCost(8000, 16000), cost("layer_norm", KernelRequest.of(x, zeros(100))),
                "gamma read once per row: 10 rows x 100 x 4 bytes more");
        assertEquals(new RequestCost(8000, 20000), cost("layer_norm", KernelRequest.of(x, zeros(100), zeros(100))));
    }

    @Test
    void statsReadsOnceAndWritesSixValues() {
        assertEquals(new RequestCost(6000, 4024), cost("stats", KernelRequest.of(zeros(1000))));
    }

    @Test
    void matmulReadsAStripOfEachOperandPerTile() {
        // m = 128, k = 10, n = 100: 2 x 2 tiles of 64; a read twice (2 tile columns), b twice (2 tile rows).
        RequestCost cost = cost("matmul", KernelRequest.of(zeros(128, 10), zeros(10, 100)));

        assertEquals(2.0 * 128 * 10 * 100, cost.flops());
        assertEquals(4.0 * (128 * 10 * 2 + 10 * 100 * 2 + 128 * 100), cost.bytes());
    }

    @Test
    void attentionComputesEveryScoreTwice() {
        // s = 3, t = 5, d = 4, e = 2: 15 pairs, each 4d + 2e = 20 flops and 4(2d + e) = 40 bytes; then the
        // inputs and output once: 12 + 20 + 10 + 6 = 48 floats.
        KernelRequest request = KernelRequest.of(zeros(3, 4), zeros(5, 4), zeros(5, 2));

        assertEquals(new RequestCost(15 * 20, 15 * 40 + 4 * 48), cost("attention", request));
    }

    @Test
    void causalAttentionCountsOnlyTheVisibleKeys() {
        // s = 5, t = 3, causal: query i sees min(i + 1, 3) keys, 1 + 2 + 3 + 3 + 3 = 12 pairs.
        KernelRequest request = KernelRequest.of(zeros(5, 4), zeros(3, 4), zeros(3, 2)).withParam("causal", 1);

        assertEquals(new RequestCost(12 * 20, 12 * 40 + 4 * (20 + 12 + 6 + 10)), cost("attention", request));
        assertEquals(12, BuiltinCosts.visiblePairs(5, 3, true));
        assertEquals(6, BuiltinCosts.visiblePairs(3, 5, true));
    }

    @Test
    void theIssuesAttentionIsSecondsOnOneRingBlockAtTheDefaultRates() {
        RequestCost cost = cost("attention", KernelRequest.of(zeros(4096, 32), zeros(4096, 32), zeros(4096, 32)));

        double pairs = 4096.0 * 4096;
        assertEquals(pairs * 192, cost.flops());
        assertEquals(pairs * 384 + 4.0 * 4 * 4096 * 32, cost.bytes());
    }
}
