package org.ringkernel.kernels.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.kernel.Tensor;

/** The float64 reference, checked against values worked out by hand, since every kernel is judged by it. */
class Float64ReferenceTest {
    private static final double EXACT = 0;
    private static final double CLOSE = 1e-12;

    @Test
    void elementwiseKernels() {
        Tensor x = Tensor.of(1.5f, -2f, 0.25f);
        Tensor y = Tensor.of(0.5f, 4f, -1f);

        assertArrayEquals(new double[] {1.5, -2, 0.25}, Float64Reference.echo(x), EXACT);
        assertArrayEquals(new double[] {2.25, 4, 0.0625}, Float64Reference.square(x), EXACT);
        assertArrayEquals(new double[] {2, 2, -0.75}, Float64Reference.add(x, y), EXACT);
        assertArrayEquals(new double[] {3.5, 0, -0.5}, Float64Reference.saxpy(x, y, 2), EXACT);
    }

    @Test
    void normalizeDividesEachRowByItsNormOrEps() {
        Tensor x = Tensor.of(new int[] {2, 2}, new float[] {3, 4, 0.3f, 0.4f});

        assertArrayEquals(new double[] {0.6, 0.8, 0.6, 0.8}, Float64Reference.normalize(x, 0), 1e-7);
        assertArrayEquals(new double[] {0.6, 0.8, 0.3, 0.4}, Float64Reference.normalize(x, 1), 1e-7);
    }

    @Test
    void statsGivesCountSumMeanStdMinMax() {
        Tensor x = Tensor.of(new int[] {2, 2}, new float[] {4, 1, 3, 2});

        assertArrayEquals(new double[] {4, 10, 2.5, Math.sqrt(1.25), 1, 4}, Float64Reference.stats(x, 0), CLOSE);
        assertArrayEquals(new double[] {4, 10, 2.5, Math.sqrt(5 / 3.0), 1, 4}, Float64Reference.stats(x, 1), CLOSE);
        assertArrayEquals(new double[] {1, 7, 7, 0, 7, 7}, Float64Reference.stats(Tensor.of(7f), 1), EXACT);
    }

    @Test
    void matmulMultipliesRowsByColumns() {
        Tensor a = Tensor.of(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});
        Tensor b = Tensor.of(new int[] {3, 1}, new float[] {1, 0, -1});

        assertArrayEquals(new double[] {-2, -2}, Float64Reference.matmul(a, b), EXACT);
    }

    @Test
    void softmaxIsStableForLargeValues() {
        Tensor x = Tensor.of(new int[] {2, 2}, new float[] {0, (float) Math.log(3), 1000, 1000});

        assertArrayEquals(new double[] {0.25, 0.75, 0.5, 0.5}, Float64Reference.softmax(x), 1e-7);
    }

    @Test
    void softmaxGivesMaskedLogitsZeroAndAFullyMaskedRowAllZeros() {
        float inf = Float.NEGATIVE_INFINITY;
        Tensor x = Tensor.of(new int[] {2, 3}, new float[] {0f, inf, 0f, inf, inf, inf});

        assertArrayEquals(new double[] {0.5, 0, 0.5, 0, 0, 0}, Float64Reference.softmax(x), 1e-15);
    }

    @Test
    void layerNormCentresScalesAndShifts() {
        Tensor x = Tensor.of(1, 2, 3);
        double z = Math.sqrt(1.5);

        assertArrayEquals(new double[] {-z, 0, z}, Float64Reference.layerNorm(x, null, null, 0), CLOSE);
        assertArrayEquals(new double[] {1 - 2 * z, 1, 1 + z / 2},
                Float64Reference.layerNorm(x, Tensor.of(2, 1, 0.5f), Tensor.of(1, 1, 1), 0), CLOSE);
    }

    @Test
    void attentionAveragesValuesByScoreAndHonoursCausality() {
        Tensor q = Tensor.of(new int[] {2, 1}, new float[] {1, 1});
        Tensor k = Tensor.of(new int[] {2, 1}, new float[] {0, (float) Math.log(3)});
        Tensor v = Tensor.of(new int[] {2, 2}, new float[] {4, 0, 0, 8});

        assertArrayEquals(new double[] {1, 6, 1, 6}, Float64Reference.attention(q, k, v, 1, false), 1e-6);
        assertArrayEquals(new double[] {4, 0, 1, 6}, Float64Reference.attention(q, k, v, 1, true), 1e-6);
        assertArrayEquals(new double[] {1, 6, 1, 6}, Float64Reference.attention(q, k, v, 0, false), 1e-6);
    }

    @Test
    void computeDispatchesByIdWithParamsInSignatureOrder() {
        Tensor x = Tensor.of(1, 2);

        double[] saxpy = Float64Reference.compute("saxpy", List.of(x, x), new float[] {2});

        assertArrayEquals(new double[] {3, 6}, saxpy, EXACT);
    }

    @Test
    void computeRejectsAnIdWithoutAReference() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Float64Reference.compute("conv2d", List.of(Tensor.of(1f)), new float[0]));

        assertTrue(e.getMessage().contains("'conv2d'"), e.getMessage());
    }
}
