package org.ringkernel.data.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import com.typesafe.config.ConfigFactory;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * Arrow columns through real kernels on the CPU backend, against float64 references. The arena is 1 MiB, so four
 * requests of an element-wise kernel with one input hold 32768 rows each, and larger columns go in chunks.
 */
class ArrowKernelsTest {
    private static final int CHUNK_ROWS = 32_768;
    private static final int ARENA_FLOATS = 262_144;
    private static ActorTestKit testKit;
    private static ArrowKernels arrow;
    private static BufferAllocator allocator;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create(ConfigFactory.parseString("""
                ringkernel.backend = cpu
                ringkernel.kernel.arena-size = 1 MiB
                """).withFallback(ConfigFactory.load()));
        arrow = ArrowKernels.on(RingKernels.get(testKit.system()));
        allocator = new RootAllocator();
    }

    @AfterAll
    static void stop() {
        allocator.close();
        testKit.shutdownTestKit();
    }

    static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    static ColumnException failure(CompletionStage<?> stage) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> stage.toCompletableFuture().get(60, TimeUnit.SECONDS));
        return assertInstanceOf(ColumnException.class, e.getCause());
    }

    /** A float32 column of {@code rows} values in [-8, 8), every {@code nullEvery}-th row null (0: none). */
    static Float4Vector floats(String name, int rows, int nullEvery, long seed) {
        Float4Vector vector = new Float4Vector(name, allocator);
        vector.allocateNew(rows);
        Random random = new Random(seed);
        for (int row = 0; row < rows; row++) {
            if (nullEvery > 0 && row % nullEvery == nullEvery - 1) {
                vector.setNull(row);
            } else {
                vector.set(row, random.nextFloat() * 16 - 8);
            }
        }
        vector.setValueCount(rows);
        return vector;
    }

    @ParameterizedTest(name = "{0} rows, every {1}th null")
    @CsvSource({"1, 0", "1, 1", "100003, 0", "100003, 7", "10000000, 0", "10000000, 3"})
    void squareRoundTripsInOrderWithItsNullsAgainstAFloat64Reference(int rows, int nullEvery) throws Exception {
        try (Float4Vector x = floats("x", rows, nullEvery, rows);
             FieldVector out = await(arrow.apply("square", "x2", x))) {
            Float4Vector squares = assertInstanceOf(Float4Vector.class, out);
            assertEquals("x2", squares.getName());
            assertEquals(rows, squares.getValueCount());
            assertEquals(x.getNullCount(), squares.getNullCount());
            for (int row = 0; row < rows; row++) {
                if (x.isNull(row)) {
                    assertTrue(squares.isNull(row), "row " + row + " stays null");
                    continue;
                }
                double value = x.get(row);
                assertEquals(value * value, squares.get(row), 1e-6 * Math.max(1, value * value), "row " + row);
            }
        }
    }

    @Test
    void aColumnLargerThanOneRequestIsSplitIntoArenaSizedChunks() {
        assertEquals(CHUNK_ROWS, arrow.chunkRows(1));
        assertEquals(ARENA_FLOATS / 3 / ArrowKernels.IN_FLIGHT / 16 * 16, arrow.chunkRows(2));
    }

    @Test
    void saxpyOfTwoColumnsIsNullWhereEitherIs() throws Exception {
        int rows = 200_001;
        try (Float4Vector x = floats("x", rows, 5, 1);
             Float4Vector y = floats("y", rows, 11, 2);
             FieldVector out = await(arrow.apply("saxpy", Map.of("alpha", 2.0), "z", x, y))) {
            Float4Vector z = (Float4Vector) out;
            for (int row = 0; row < rows; row++) {
                if (x.isNull(row) || y.isNull(row)) {
                    assertTrue(z.isNull(row), "row " + row);
                } else {
                    assertEquals(2.0 * x.get(row) + y.get(row), z.get(row), 1e-5, "row " + row);
                }
            }
        }
    }

    @Test
    void aFloat32ChunkWithoutNullsIsReadFromTheColumnsOwnMemory() {
        int rows = 10_000_000;
        try (Float4Vector x = floats("x", rows, 0, 3)) {
            KernelRequest request = ArrowKernels.request(Map.of(), new FieldVector[] {x}, new boolean[1], 5, 10);
            Tensor tensor = request.inputs().get(0);
            assertTrue(tensor.isBuffer(), "the tensor is over the column's buffer, not an array");
            x.set(7, 42f);
            assertEquals(42f, tensor.get(2), "the tensor sees the column's memory itself");

            // Every chunk request of the whole column costs the calling thread a few objects each, far below the
            // 40 MB an array of the column would take.
            ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            int chunk = arrow.chunkRows(1);
            long buffers = 0;
            for (int from = 0; from < rows; from += chunk) {
                KernelRequest part = ArrowKernels.request(Map.of(), new FieldVector[] {x}, new boolean[1], from,
                        Math.min(chunk, rows - from));
                buffers += part.inputs().get(0).isBuffer() ? 1 : 0;
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertEquals((rows + chunk - 1) / chunk, buffers);
            assertTrue(allocated < (long) rows * Float.BYTES / 100, allocated + " bytes allocated for " + rows + " rows");
        }
    }

    @Test
    void aFloat8ColumnIsRoundedToFloat32AndComesBackAsFloat8() throws Exception {
        try (Float8Vector x = new Float8Vector("x", allocator)) {
            x.allocateNew(3);
            x.set(0, 0.1);
            x.setNull(1);
            x.set(2, -3.0e10);
            x.setValueCount(3);
            try (FieldVector out = await(arrow.apply("square", "x2", x))) {
                Float8Vector squares = assertInstanceOf(Float8Vector.class, out);
                float tenth = (float) 0.1;
                assertEquals(tenth * tenth, squares.get(0), 0.0, "the float32 result, widened exactly");
                assertTrue(squares.isNull(1));
                assertEquals(9.0e20, squares.get(2), 9.0e20 * 1e-6);
            }
        }
    }

    @Test
    void aFloat8ValueBeyondFloat32RangeIsAnErrorNamingItsRow() {
        try (Float8Vector x = new Float8Vector("big", allocator)) {
            x.allocateNew(4);
            for (int row = 0; row < 4; row++) {
                x.set(row, row == 2 ? 1e39 : 1.0);
            }
            x.setValueCount(4);
            ColumnException e = failure(arrow.apply("square", "out", x));
            assertTrue(e.getMessage().contains("column 'big' row 2 holds 1.0E39"), e.getMessage());
        }
    }

    @Test
    void aValueTheKernelRefusesFailsNamingTheRowsOfItsChunk() {
        try (Float4Vector x = floats("x", 3 * CHUNK_ROWS, 0, 4)) {
            x.set(CHUNK_ROWS + 5, Float.NaN);
            ColumnException e = failure(arrow.apply("square", "out", x));
            assertTrue(e.getMessage().startsWith("kernel 'square' over rows " + CHUNK_ROWS + " to "
                    + (2 * CHUNK_ROWS - 1) + " of column 'x' failed"), e.getMessage());
            assertTrue(e.getMessage().contains("element 5 is NaN"), e.getMessage());
        }
    }

    @Test
    void aKernelThatIsNotElementwiseTakesTheColumnWholeAndRefusesNulls() throws Exception {
        try (Float4Vector x = floats("logits", 1000, 0, 5);
             FieldVector out = await(arrow.apply("softmax", "p", x))) {
            double max = Double.NEGATIVE_INFINITY;
            for (int row = 0; row < 1000; row++) {
                max = Math.max(max, x.get(row));
            }
            double sum = 0;
            for (int row = 0; row < 1000; row++) {
                sum += Math.exp(x.get(row) - max);
            }
            for (int row = 0; row < 1000; row++) {
                assertEquals(Math.exp(x.get(row) - max) / sum, ((Float4Vector) out).get(row), 1e-6, "row " + row);
            }
        }
        try (Float4Vector x = floats("logits", 1000, 100, 6)) {
            ColumnException e = assertThrows(ColumnException.class, () -> arrow.apply("softmax", "p", x));
            assertEquals("column 'logits' has 10 null rows (the first is row 99); kernel 'softmax' is not"
                    + " element-wise, so it takes columns without nulls", e.getMessage());
        }
        try (Float4Vector x = floats("logits", ARENA_FLOATS + 1, 0, 7)) {
            ColumnException e = assertThrows(ColumnException.class, () -> arrow.apply("softmax", "p", x));
            assertTrue(e.getMessage().contains("more than the kernel's arena of 1048576 bytes"), e.getMessage());
        }
    }

    @Test
    void aColumnThatIsNotFloatIsRefusedNamingItsType() {
        try (org.apache.arrow.vector.IntVector ints = new org.apache.arrow.vector.IntVector("n", allocator)) {
            ints.allocateNew(1);
            ints.setValueCount(1);
            ColumnException e = assertThrows(ColumnException.class, () -> arrow.apply("square", "out", ints));
            assertEquals("column 'n' is INT; kernels take FLOAT4 and FLOAT8 columns", e.getMessage());
        }
    }

    @Test
    void elementwiseInputsOfDifferentLengthsAreRefused() {
        try (Float4Vector a = floats("a", 10, 0, 8); Float4Vector b = floats("b", 11, 0, 9)) {
            ColumnException e = assertThrows(ColumnException.class, () -> arrow.apply("add", "c", a, b));
            assertEquals("kernel 'add' is element-wise: column 'b' has 11 rows, column 'a' 10", e.getMessage());
            assertFalse(arrow.isElementwise("softmax"));
        }
    }
}
