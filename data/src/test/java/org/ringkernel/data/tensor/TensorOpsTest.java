package org.ringkernel.data.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ringkernel.actors.InvalidRequestException;
import org.ringkernel.actors.RingKernels;

/** Each tensor operation against its float64 reference on random inputs of several shapes, and its errors. */
class TensorOpsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** The kernels accumulate in float64 and round once; softmax and attention add an exp per element. */
    private static final double TOLERANCE = 1e-5;

    private static ActorTestKit testKit;
    private static TensorOps ops;

    @BeforeAll
    static void start() {
        testKit = TensorTestKit.create();
        ops = TensorOps.on(RingKernels.get(testKit.system()));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private static NdArray await(CompletionStage<NdArray> result) {
        return TensorOps.await(result, WAIT);
    }

    @Test
    void matmulMatchesItsReference() {
        int[][] sizes = {{1, 1, 1}, {3, 5, 7}, {17, 33, 9}, {64, 31, 65}};
        for (int[] size : sizes) {
            int m = size[0];
            int k = size[1];
            int n = size[2];
            NdArray a = NdArray.random(m * 31L + k, m, k);
            NdArray b = NdArray.random(n * 17L + k, k, n);

            NdArray c = await(ops.matmul(a, b));

            References.assertClose(new int[] {m, n}, References.matmul(a.toArray(), b.toArray(), m, k, n), c,
                    TOLERANCE);
        }
    }

    @Test
    void matmulFoldsLeadingAxesAndTakesVectors() {
        NdArray a = NdArray.random(1, 2, 3, 5);
        NdArray b = NdArray.random(2, 5, 4);

        References.assertClose(new int[] {2, 3, 4}, References.matmul(a.toArray(), b.toArray(), 6, 5, 4),
                await(ops.matmul(a, b)), TOLERANCE);

        NdArray vector = NdArray.random(3, 5);
        References.assertClose(new int[] {4}, References.matmul(vector.toArray(), b.toArray(), 1, 5, 4),
                await(ops.matmul(vector, b)), TOLERANCE);
    }

    @Test
    void softmaxMatchesItsReference() {
        int[][] shapes = {{1}, {7}, {3, 13}, {2, 3, 5}, {2, 1, 3, 129}};
        for (int[] shape : shapes) {
            NdArray x = scaled(NdArray.random(shape.length, shape), 8);

            NdArray y = await(ops.softmax(x));

            References.assertClose(shape, References.softmax(References.widen(x.toArray()), shape[shape.length - 1]),
                    y, TOLERANCE);
        }
    }

    @Test
    void layerNormMatchesItsReferenceWithAndWithoutScaleAndShift() {
        int[][] shapes = {{1, 1}, {5, 7}, {2, 3, 33}, {257}};
        for (int[] shape : shapes) {
            int n = shape[shape.length - 1];
            NdArray x = scaled(NdArray.random(n, shape), 3);
            NdArray gamma = NdArray.random(n + 1L, n);
            NdArray beta = NdArray.random(n + 2L, n);
            double[] wide = References.widen(x.toArray());

            References.assertClose(shape, References.layerNorm(wide, n, null, null, 1e-5),
                    await(ops.layerNorm(x, 1e-5)), TOLERANCE);
            References.assertClose(shape, References.layerNorm(wide, n, gamma.toArray(), beta.toArray(), 1e-3),
                    await(ops.layerNorm(x, gamma, beta, 1e-3)), TOLERANCE);
        }
    }

    @Test
    void attentionMatchesItsReference() {
        // s, t, d, e
        int[][] sizes = {{1, 1, 1, 1}, {5, 7, 3, 4}, {9, 9, 16, 8}, {33, 17, 5, 3}};
        for (int[] size : sizes) {
            int s = size[0];
            int t = size[1];
            int d = size[2];
            int e = size[3];
            NdArray q = NdArray.random(s, s, d);
            NdArray k = NdArray.random(t + 100L, t, d);
            NdArray v = NdArray.random(e + 200L, t, e);

            References.assertClose(new int[] {s, e},
                    References.attention(q.toArray(), k.toArray(), v.toArray(), s, t, d, e, 0, false),
                    await(ops.attention(q, k, v)), TOLERANCE);
            References.assertClose(new int[] {s, e},
                    References.attention(q.toArray(), k.toArray(), v.toArray(), s, t, d, e, 0.5, true),
                    await(ops.attention(q, k, v, 0.5, true)), TOLERANCE);
        }
    }

    @Test
    void misfitsNameTheOperationAndTheShapes() {
        NdArray a = NdArray.zeros(3, 4);

        TensorShapeException matmul = assertThrows(TensorShapeException.class,
                () -> ops.matmul(a, NdArray.zeros(5, 2)));
        assertEquals("stage 1 of 1 (matmul(weights [5, 2])) cannot take shape [3, 4]: its last dimension is 4 but"
                + " the weights [5, 2] have 5 rows", matmul.getMessage());

        TensorShapeException norm = assertThrows(TensorShapeException.class,
                () -> ops.layerNorm(a, NdArray.zeros(3), NdArray.zeros(3), 1e-5));
        assertEquals("stage 1 of 1 (layer_norm(gamma [3], beta [3], eps=1.0E-5)) cannot take shape [3, 4]: its last"
                + " dimension is 4 but gamma and beta have 3 elements", norm.getMessage());

        TensorShapeException attention = assertThrows(TensorShapeException.class,
                () -> ops.attention(a, NdArray.zeros(6, 5), NdArray.zeros(6, 2)));
        assertTrue(attention.getMessage().contains("the queries have 4 columns but the keys [6, 5] have 5"),
                attention.getMessage());
        assertEquals("attention(keys [6, 5], values [6, 2])", attention.stage());

        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Ops.attention(NdArray.zeros(6, 5), NdArray.zeros(7, 2))).getMessage()
                .contains("have different row counts"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Ops.matmul(NdArray.zeros(6))).getMessage()
                .contains("weights must be of rank 2, got shape [6]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Ops.layerNorm(0)).getMessage()
                .contains("eps is 0.0, must be 1e-30 to 1"));
    }

    @Test
    void nonFiniteInputComesBackAsTheKernelsErrorNamingTheStage() {
        float[] data = new float[12];
        data[7] = Float.NaN;
        NdArray x = NdArray.of(data, 3, 4);

        TensorStageException error = assertThrows(TensorStageException.class,
                () -> await(ops.matmul(x, NdArray.zeros(4, 2))));

        assertEquals(1, error.position());
        assertInstanceOf(InvalidRequestException.class, error.getCause());
        assertTrue(error.getMessage().startsWith("stage 1 of 1 (matmul(weights [4, 2])): "), error.getMessage());
        assertTrue(error.getMessage().contains("element 7 is NaN"), error.getMessage());
    }

    private static NdArray scaled(NdArray array, float factor) {
        float[] values = array.toArray();
        for (int i = 0; i < values.length; i++) {
            values[i] *= factor;
        }
        return NdArray.of(values, array.shape());
    }
}
