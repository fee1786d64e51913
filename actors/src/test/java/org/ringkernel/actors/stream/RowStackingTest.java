package org.ringkernel.actors.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ringkernel.actors.KernelFailedException;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.actors.KernelTiming;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/** Which requests stack, and that a stack's rows come back to the requests they came from. */
class RowStackingTest {

    @Test
    void requestsStackOnlyWhenTheyAgreeInAllButTheirRows() {
        KernelRequest first = KernelRequest.of(Tensor.of(new int[] {2, 3}, new float[6])).withParam("alpha", 2);
        KernelRequest moreRows = KernelRequest.of(Tensor.of(new int[] {5, 3}, new float[15])).withParam("alpha", 2);

        assertTrue(RowStacking.stacksOnto(first, moreRows));
        assertFalse(RowStacking.stacksOnto(first,
                KernelRequest.of(Tensor.of(new int[] {2, 4}, new float[8])).withParam("alpha", 2)), "other columns");
        assertFalse(RowStacking.stacksOnto(first, KernelRequest.of(Tensor.of(new float[6])).withParam("alpha", 2)),
                "other rank");
        assertFalse(RowStacking.stacksOnto(first,
                KernelRequest.of(Tensor.of(new int[] {5, 3}, new float[15])).withParam("alpha", 3)), "other param");
        assertFalse(RowStacking.stacksOnto(first, KernelRequest.of(Tensor.of(new int[] {5, 3}, new float[15]))),
                "param left out");
        assertFalse(RowStacking.stacksOnto(first, moreRows.withRoutingKey("tenant-1")), "other routing key");
        assertFalse(RowStacking.stacksOnto(first, KernelRequest.of(Tensor.of(new int[] {2, 3}, new float[6]),
                Tensor.of(new int[] {2, 3}, new float[6])).withParam("alpha", 2)), "other input count");
    }

    @Test
    void onlySmallArrayRequestsWithOneRowCountMayStack() {
        assertEquals(12, RowStacking.stackableFloats(KernelRequest.of(Tensor.of(new float[6]), Tensor.of(new float[6]))));
        assertEquals(-1, RowStacking.stackableFloats(KernelRequest.of(Tensor.of(new float[6]), Tensor.of(new float[5]))),
                "inputs of different row counts");
        assertEquals(-1, RowStacking.stackableFloats(KernelRequest.of(
                Tensor.over(new int[] {4}, FloatBuffer.wrap(new float[4])))), "a tensor over a buffer");
        assertEquals(RowStacking.MAX_REQUEST_FLOATS, RowStacking.stackableFloats(
                KernelRequest.of(Tensor.of(new float[RowStacking.MAX_REQUEST_FLOATS]))));
        assertEquals(-1, RowStacking.stackableFloats(
                KernelRequest.of(Tensor.of(new float[RowStacking.MAX_REQUEST_FLOATS + 1]))), "too large");
    }

    /**
     * Random requests of random row counts stacked, a row-wise function applied to the stack as a kernel would, and
     * the stack cut again: each request gets exactly its own rows, against a float64 reference.
     */
    @Test
    void eachRequestGetsItsOwnRowsOfTheStacksOutputs() {
        SplittableRandom random = new SplittableRandom(5);
        for (int round = 0; round < 50; round++) {
            int columns = 1 + random.nextInt(4);
            List<KernelRequest> requests = new ArrayList<>();
            for (int r = 0, count = 2 + random.nextInt(30); r < count; r++) {
                int rows = 1 + random.nextInt(20);
                requests.add(KernelRequest.of(Tensor.of(new int[] {rows, columns}, random(random, rows * columns)),
                        Tensor.of(new int[] {rows, columns}, random(random, rows * columns))));
            }

            KernelRequest stack = RowStacking.stack(requests);
            int totalRows = requests.stream().mapToInt(request -> request.inputs().get(0).dim(0)).sum();
            assertArrayEquals(new int[] {totalRows, columns}, stack.inputs().get(0).shape());
            float[] x = stack.inputs().get(0).data();
            float[] y = stack.inputs().get(1).data();
            float[] sum = new float[x.length];
            float[] rowSums = new float[totalRows];
            for (int e = 0; e < x.length; e++) {
                sum[e] = x[e] + 2 * y[e];
                rowSums[e / columns] += x[e];
            }
            KernelResult answer = new KernelResult("pair", stack, List.of(Tensor.of(new int[] {totalRows, columns}, sum),
                    Tensor.of(new int[] {totalRows}, rowSums)), Optional.empty(), "cpu", KernelTiming.NONE, "");

            List<KernelResult> results = RowStacking.unstack(requests, answer);

            assertEquals(requests.size(), results.size());
            for (int r = 0; r < requests.size(); r++) {
                KernelRequest request = requests.get(r);
                KernelResult result = results.get(r);
                assertSame(request, result.request());
                assertTrue(result.ok());
                float[] rx = request.inputs().get(0).data();
                float[] ry = request.inputs().get(1).data();
                int rows = request.inputs().get(0).dim(0);
                assertArrayEquals(new int[] {rows, columns}, result.outputs().get(0).shape());
                assertArrayEquals(new int[] {rows}, result.outputs().get(1).shape());
                for (int e = 0; e < rx.length; e++) {
                    assertEquals((double) rx[e] + 2.0 * ry[e], result.outputs().get(0).data()[e], 1e-5,
                            "request " + r + " element " + e);
                }
                for (int row = 0; row < rows; row++) {
                    double expected = 0;
                    for (int c = 0; c < columns; c++) {
                        expected += rx[row * columns + c];
                    }
                    assertEquals(expected, result.outputs().get(1).data()[row], 1e-4, "request " + r + " row " + row);
                }
            }
        }
    }

    @Test
    void aKernelThatBreaksItsRowwiseDeclarationFailsEachStackedRequestSayingSo() {
        List<KernelRequest> requests = List.of(KernelRequest.of(Tensor.of(1f, 2f)), KernelRequest.of(Tensor.of(3f)));
        KernelResult total = new KernelResult("total", RowStacking.stack(requests), List.of(Tensor.of(6f)),
                Optional.empty(), "cpu", KernelTiming.NONE, "");

        List<KernelResult> results = RowStacking.unstack(requests, total);

        assertEquals(2, results.size());
        for (int r = 0; r < 2; r++) {
            assertSame(requests.get(r), results.get(r).request());
            KernelFailedException error = assertInstanceOf(KernelFailedException.class, results.get(r).error().get());
            assertEquals("kernel 'total' is declared row-wise, but for 3 stacked rows it gave an output of shape [1]",
                    error.getMessage());
        }
    }

    private static float[] random(SplittableRandom random, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) (random.nextDouble() * 4 - 2);
        }
        return values;
    }
}
