package org.ringkernel.kernels.builtin;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.kernel.InvalidKernelInputException;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.kernels.reference.ReferenceCase;

/**
 * Requests that do not fit a built-in kernel's signature are rejected before they reach a ring, with a
 * message that names the kernel, the input or param at fault, and what was expected.
 */
class KernelRequestValidationTest {
    private final Random random = new Random(11);

    @Test
    void addRejectsOperandsOfDifferentShapes() {
        InvalidKernelInputException e = rejected(AddKernel.definition(),
                KernelRequest.of(tensor(2, 3), tensor(3, 2)));

        assertRejection(e, "add", "input 'b'", "expected the shape of input 'a' [2, 3], got [3, 2]");
    }

    @Test
    void matmulRejectsAnInnerDimensionMismatch() {
        InvalidKernelInputException e = rejected(MatmulKernel.definition(),
                KernelRequest.of(tensor(2, 3), tensor(4, 5)));

        assertRejection(e, "matmul", "input 'b'",
                "expected dimension 0 to be 3 (the columns of 'a'), got shape [4, 5]");
    }

    @Test
    void matmulRejectsOperandsThatAreNotMatrices() {
        InvalidKernelInputException vector = rejected(MatmulKernel.definition(),
                KernelRequest.of(tensor(6), tensor(6, 1)));
        InvalidKernelInputException cube = rejected(MatmulKernel.definition(),
                KernelRequest.of(tensor(2, 3), tensor(3, 1, 1)));

        assertRejection(vector, "matmul", "input 'a'", "expected rank 2 [m, k], got shape [6]");
        assertRejection(cube, "matmul", "input 'b'", "expected rank 2 [k, n], got shape [3, 1, 1]");
    }

    @Test
    void attentionRejectsValuesOfAnotherLengthThanTheKeys() {
        InvalidKernelInputException e = rejected(AttentionKernel.definition(),
                KernelRequest.of(tensor(2, 4), tensor(5, 4), tensor(4, 3)));

        assertRejection(e, "attention", "input 'v'",
                "expected dimension 0 to be 5 (the rows of 'k'), got shape [4, 3]");
    }

    @Test
    void attentionRejectsKeysOfAnotherWidthThanTheQueries() {
        InvalidKernelInputException e = rejected(AttentionKernel.definition(),
                KernelRequest.of(tensor(2, 4), tensor(5, 3), tensor(5, 3)));

        assertRejection(e, "attention", "input 'k'",
                "expected dimension 1 to be 4 (the columns of 'q'), got shape [5, 3]");
    }

    @Test
    void layerNormRejectsGammaAndBetaThatDoNotMatchTheRows() {
        InvalidKernelInputException gamma = rejected(LayerNormKernel.definition(),
                KernelRequest.of(tensor(2, 5), tensor(4)));
        InvalidKernelInputException beta = rejected(LayerNormKernel.definition(),
                KernelRequest.of(tensor(2, 5), tensor(5), tensor(6)));
        InvalidKernelInputException matrix = rejected(LayerNormKernel.definition(),
                KernelRequest.of(tensor(2, 5), tensor(1, 5)));

        assertRejection(gamma, "layer_norm", "input 'gamma'",
                "expected dimension 0 to be 5 (the last dimension of 'x'), got shape [4]");
        assertRejection(beta, "layer_norm", "input 'beta'",
                "expected dimension 0 to be 5 (the last dimension of 'x'), got shape [6]");
        assertRejection(matrix, "layer_norm", "input 'gamma'", "expected rank 1 [n], got shape [1, 5]");
    }

    @Test
    void saxpyRejectsAnUnknownParam() {
        InvalidKernelInputException e = rejected(SaxpyKernel.definition(),
                KernelRequest.of(tensor(3), tensor(3)).withParam("beta", 2.0));

        assertRejection(e, "saxpy", "param 'beta'", "unknown param; it takes alpha");
    }

    @Test
    void statsRejectsADdofThatIsNotZeroOrOne() {
        KernelRequest request = KernelRequest.of(tensor(4));

        InvalidKernelInputException half = rejected(StatsKernel.definition(), request.withParam("ddof", 0.5));
        InvalidKernelInputException two = rejected(StatsKernel.definition(), request.withParam("ddof", 2));

        assertRejection(half, "stats", "param 'ddof'", "expected a whole number in [0, 1], got 0.5");
        assertRejection(two, "stats", "param 'ddof'", "expected a whole number in [0, 1], got 2.0");
    }

    @Test
    void normalizeRejectsANegativeEps() {
        InvalidKernelInputException e = rejected(NormalizeKernel.definition(),
                KernelRequest.of(tensor(4)).withParam("eps", -1));

        assertRejection(e, "normalize", "param 'eps'", "expected a finite value in [1.0E-30, 1], got -1.0");
    }

    @Test
    void paramsRejectInfinityAndNan() {
        InvalidKernelInputException alpha = rejected(SaxpyKernel.definition(),
                KernelRequest.of(tensor(3), tensor(3)).withParam("alpha", Double.POSITIVE_INFINITY));
        InvalidKernelInputException scale = rejected(AttentionKernel.definition(),
                KernelRequest.of(tensor(1, 2), tensor(1, 2), tensor(1, 2)).withParam("scale", Double.NaN));

        assertRejection(alpha, "saxpy", "param 'alpha'", "expected a finite float32 value, got Infinity");
        assertRejection(scale, "attention", "param 'scale'", "expected a finite value in [0, 1000000], got NaN");
    }

    @Test
    void squareRejectsNanAndNamesTheElement() {
        float[] values = {1f, 2f, Float.NaN, 4f};

        InvalidKernelInputException e = rejected(SquareKernel.definition(), KernelRequest.of(Tensor.of(values)));

        assertRejection(e, "square", "input 'x'", "element 2 is NaN", "finite values only");
    }

    @Test
    void everyKernelButEchoRejectsInfiniteInputs() {
        InvalidKernelInputException e = rejected(MatmulKernel.definition(), KernelRequest.of(tensor(1, 2),
                Tensor.of(new int[] {2, 1}, new float[] {1f, Float.NEGATIVE_INFINITY})));

        assertRejection(e, "matmul", "input 'b'", "element 1 is -Infinity");
    }

    @Test
    void softmaxTakesMaskedLogitsButRejectsNanAndPositiveInfinity() {
        float[] masked = new float[9];
        Arrays.fill(masked, Float.NEGATIVE_INFINITY);
        masked[4] = 1f;
        float[] nan = {1f, Float.NEGATIVE_INFINITY, Float.NaN};
        float[] positive = {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};

        int[] bound = SoftmaxKernel.definition().bind(KernelRequest.of(Tensor.of(new int[] {3, 3}, masked)))
                .outputShapes()[0];
        InvalidKernelInputException e = rejected(SoftmaxKernel.definition(), KernelRequest.of(Tensor.of(nan)));
        InvalidKernelInputException inf = rejected(SoftmaxKernel.definition(), KernelRequest.of(Tensor.of(positive)));

        assertArrayEquals(new int[] {3, 3}, bound);
        assertRejection(e, "softmax", "input 'x'", "element 2 is NaN", "finite values or -Infinity only");
        assertRejection(inf, "softmax", "input 'x'", "element 1 is Infinity", "finite values or -Infinity only");
    }

    @Test
    void statsRejectsNanAndInfinitiesSoItsMinAndMaxOnlyCompareFiniteValues() {
        InvalidKernelInputException nan = rejected(StatsKernel.definition(),
                KernelRequest.of(Tensor.of(new float[] {1f, Float.NaN})));
        InvalidKernelInputException inf = rejected(StatsKernel.definition(),
                KernelRequest.of(Tensor.of(new float[] {Float.NEGATIVE_INFINITY, 1f})));

        assertRejection(nan, "stats", "input 'x'", "element 1 is NaN", "finite values only");
        assertRejection(inf, "stats", "input 'x'", "element 0 is -Infinity", "finite values only");
    }

    @Test
    void kernelsRejectTooFewAndTooManyInputs() {
        InvalidKernelInputException few = rejected(AddKernel.definition(), KernelRequest.of(tensor(3)));
        InvalidKernelInputException many = rejected(SquareKernel.definition(),
                KernelRequest.of(tensor(3), tensor(3)));
        InvalidKernelInputException optional = rejected(LayerNormKernel.definition(),
                KernelRequest.of(tensor(2, 3), tensor(3), tensor(3), tensor(3)));

        assertRejection(few, "add", null, "expected 2 inputs (a, b), got 1");
        assertRejection(many, "square", null, "expected 1 inputs (x), got 2");
        assertRejection(optional, "layer_norm", null,
                "expected 1 to 3 inputs (x, gamma (optional), beta (optional)), got 4");
    }

    @Test
    void layerNormTakesItsOptionalInputsOrLeavesThemOut() {
        KernelDefinition kernel = LayerNormKernel.definition();

        assertAll(
                () -> assertArrayEquals(new int[] {2, 3},
                        kernel.bind(KernelRequest.of(tensor(2, 3))).outputShapes()[0]),
                () -> assertArrayEquals(new int[] {2, 3},
                        kernel.bind(KernelRequest.of(tensor(2, 3), tensor(3))).outputShapes()[0]),
                () -> assertArrayEquals(new int[] {2, 3},
                        kernel.bind(KernelRequest.of(tensor(2, 3), tensor(3), tensor(3))).outputShapes()[0]));
    }

    @Test
    void omittedParamsTakeTheirDefaults() {
        float[] attention = AttentionKernel.definition()
                .bind(KernelRequest.of(tensor(1, 2), tensor(1, 2), tensor(1, 2))).params();
        float[] layerNorm = LayerNormKernel.definition().bind(new KernelRequest(List.of(tensor(4)), Map.of())).params();

        assertArrayEquals(new float[] {0f, 0f}, attention);
        assertArrayEquals(new float[] {1e-5f}, layerNorm);
    }

    private Tensor tensor(int... shape) {
        return ReferenceCase.randomTensor(random, shape);
    }

    private static InvalidKernelInputException rejected(KernelDefinition kernel, KernelRequest request) {
        return assertThrows(InvalidKernelInputException.class, () -> kernel.bind(request));
    }

    private static void assertRejection(InvalidKernelInputException e, String kernelId, String field,
                                        String... expectations) {
        assertEquals(kernelId, e.kernelId(), "kernel");
        if (field == null) {
            assertNull(e.field(), "field");
        } else {
            assertEquals(field, e.field(), "field");
        }
        String message = e.getMessage();
        assertTrue(message.contains("'" + kernelId + "'"), () -> "names the kernel: " + message);
        if (field != null) {
            assertTrue(message.contains(field), () -> "names " + field + ": " + message);
        }
        for (String expectation : expectations) {
            assertTrue(message.contains(expectation), () -> "says '" + expectation + "': " + message);
        }
    }
}
