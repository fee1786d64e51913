package org.ringkernel.data.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.kernel.Tensor;

/** Creation, reshaping and element access of {@link NdArray}, and its errors. */
class NdArrayTest {

    @Test
    void ofCopiesTheDataAndIndexesRowMajor() {
        float[] data = {0, 1, 2, 3, 4, 5};
        NdArray array = NdArray.of(data, 2, 3);
        data[0] = 99;

        assertEquals(0f, array.get(0, 0));
        assertEquals(5f, array.get(1, 2));
        assertEquals(3f, array.get(1, 0));
        assertEquals(4, array.flatIndex(1, 1));
        assertArrayEquals(new int[] {2, 3}, array.shape());
        assertEquals(3, array.dim(-1));
        assertEquals(6, array.size());
        float[] copy = array.toArray();
        copy[1] = 42;
        assertEquals(1f, array.getFlat(1));
    }

    @Test
    void zerosAndSeededRandomValues() {
        assertArrayEquals(new float[12], NdArray.zeros(3, 4).toArray());
        NdArray random = NdArray.random(7, 5, 3);
        assertEquals(random, NdArray.random(7, 5, 3));
        assertNotEquals(random, NdArray.random(8, 5, 3));
        for (float value : random.toArray()) {
            assertTrue(value >= -1 && value < 1, "uniform in [-1, 1): " + value);
        }
    }

    @Test
    void reshapeKeepsTheElementsAndInfersOneDimension() {
        NdArray array = NdArray.of(new float[] {0, 1, 2, 3, 4, 5}, 2, 3);

        NdArray reshaped = array.reshape(3, -1);
        assertArrayEquals(new int[] {3, 2}, reshaped.shape());
        assertEquals(5f, reshaped.get(2, 1));
        assertArrayEquals(new int[] {6}, array.reshape(-1).shape());
        assertArrayEquals(array.toArray(), array.reshape(1, 2, 3).toArray());
        assertSame(array, array.reshape(2, 3));
    }

    @Test
    void badShapesAndIndexesAreNamed() {
        NdArray array = NdArray.zeros(2, 3);

        assertEquals("cannot reshape [2, 3] (6 elements) to [4, 2]",
                assertThrows(IllegalArgumentException.class, () -> array.reshape(4, 2)).getMessage());
        assertEquals("cannot reshape [2, 3] (6 elements) to [4, -1]",
                assertThrows(IllegalArgumentException.class, () -> array.reshape(4, -1)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> array.reshape(-1, -1)).getMessage()
                .contains("only one dimension may be -1"));
        assertEquals("coordinate 3 on axis 1 is outside shape [2, 3]",
                assertThrows(IndexOutOfBoundsException.class, () -> array.get(1, 3)).getMessage());
        assertTrue(assertThrows(IndexOutOfBoundsException.class, () -> array.get(1)).getMessage()
                .contains("1 coordinates [1] for an array of rank 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NdArray.of(new float[5], 2, 3)).getMessage()
                .contains("shape [2, 3] holds 6 elements but the data has 5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NdArray.zeros(2, 0)).getMessage()
                .contains("dimension 1 of shape [2, 0] is 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NdArray.zeros(1, 1, 1, 1, 1)).getMessage()
                .contains("rank must be 1 to 4"));
    }

    @Test
    void kernelTensorsAreViewedWithoutCopying() {
        Tensor tensor = Tensor.of(new int[] {2, 2}, new float[] {1, 2, 3, 4});
        NdArray array = NdArray.of(tensor);

        assertSame(tensor, array.toTensor());
        assertEquals(3f, array.get(1, 0));
    }
}
