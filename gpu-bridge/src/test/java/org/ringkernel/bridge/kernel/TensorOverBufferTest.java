package org.ringkernel.bridge.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A tensor over a buffer reads the caller's memory where it lies and behaves like the array tensor it equals. */
class TensorOverBufferTest {

    private static FloatBuffer direct(float... values) {
        FloatBuffer buffer = ByteBuffer.allocateDirect(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer();
        buffer.put(values).flip();
        return buffer;
    }

    @Test
    void takesTheRemainingElementsWithoutCopyingThemAndEqualsTheArrayTensor() {
        FloatBuffer column = direct(9f, 1f, 2f, 3f, 4f, 9f);
        column.position(1).limit(5);
        Tensor tensor = Tensor.over(new int[] {2, 2}, column);
        column.clear();

        assertTrue(tensor.isBuffer());
        assertEquals(Tensor.of(new int[] {2, 2}, new float[] {1f, 2f, 3f, 4f}), tensor);
        assertEquals(Tensor.of(new int[] {2, 2}, new float[] {1f, 2f, 3f, 4f}).hashCode(), tensor.hashCode());
        column.put(2, 7f);
        assertEquals(7f, tensor.get(1), "the tensor reads the caller's memory, not a copy");
        assertThrows(java.nio.ReadOnlyBufferException.class, () -> tensor.buffer().put(0, 0f));
    }

    @Test
    void copiesStraightIntoATargetBuffer() {
        Tensor tensor = Tensor.over(new int[] {3}, direct(1f, 2f, 3f));
        FloatBuffer arena = FloatBuffer.allocate(5);
        tensor.copyTo(arena, 2);
        assertArrayEquals(new float[] {0f, 0f, 1f, 2f, 3f}, arena.array());
        assertArrayEquals(new float[] {1f, 2f, 3f}, tensor.data());
    }

    @Test
    void aShapeThatDoesNotHoldTheRemainingElementsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.over(new int[] {4}, direct(1f, 2f, 3f)));
        assertEquals("shape [4] holds 4 elements but the buffer has 3", e.getMessage());
    }

    @Test
    void bindingATensorOverABufferCopiesNothing() {
        KernelSignature signature = KernelDefinition.elementwise("affine").describedAs("nothing")
                .cpu(call -> { }).build().signature();
        int size = 1 << 20;
        FloatBuffer column = ByteBuffer.allocateDirect(size * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer();
        KernelRequest request = new KernelRequest(List.of(Tensor.over(new int[] {size}, column)), Map.of());
        signature.bind("affine", request);

        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        signature.bind("affine", request);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < size * Float.BYTES / 100, "binding allocated " + allocated + " bytes");
    }

    @Test
    void bindingChecksTheValuesWhereTheyLieAndNamesTheElement() {
        KernelSignature signature = KernelDefinition.elementwise("affine").describedAs("nothing")
                .cpu(call -> { }).build().signature();
        Tensor bad = Tensor.over(new int[] {3}, direct(1f, Float.NaN, 3f));
        InvalidKernelInputException e = assertThrows(InvalidKernelInputException.class,
                () -> signature.bind("affine", new KernelRequest(List.of(bad), Map.of())));
        assertTrue(e.getMessage().contains("element 1 is NaN"), e.getMessage());
    }
}
