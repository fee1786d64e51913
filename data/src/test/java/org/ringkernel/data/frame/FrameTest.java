package org.ringkernel.data.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
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
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.data.arrow.ColumnException;

/** Frame statistics through the real {@code stats} kernel on the CPU backend, against a float64 two-pass reference. */
class FrameTest {
    private static ActorTestKit testKit;
    private static RingKernels kernels;
    private static BufferAllocator allocator;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create(ConfigFactory.parseString("ringkernel.backend = cpu")
                .withFallback(ConfigFactory.load()));
        kernels = RingKernels.get(testKit.system());
        allocator = new RootAllocator();
    }

    @AfterAll
    static void stop() {
        allocator.close();
        testKit.shutdownTestKit();
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    /**
     * The float64 two-pass reference over the non-null rows; the sum is compensated (Kahan), so that at 10^7 rows
     * of 1e6 its own rounding stays below what is checked.
     */
    private static double[] reference(FieldVector column, int ddof) {
        long count = 0;
        double sum = 0;
        double compensation = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int row = 0; row < column.getValueCount(); row++) {
            if (!column.isNull(row)) {
                double value = ((Number) column.getObject(row)).doubleValue();
                count++;
                double term = value - compensation;
                double next = sum + term;
                compensation = (next - sum) - term;
                sum = next;
                min = Math.min(min, value);
                max = Math.max(max, value);
            }
        }
        double mean = sum / count;
        double squares = 0;
        for (int row = 0; row < column.getValueCount(); row++) {
            if (!column.isNull(row)) {
                double delta = ((Number) column.getObject(row)).doubleValue() - mean;
                squares += delta * delta;
            }
        }
        return new double[] {count, sum, mean, Math.sqrt(squares / (count - ddof)), min, max};
    }

    /**
     * Checks {@code stats} against the reference. The kernel answers in float32 around the column's first value,
     * so the mean carries float32's relative error of its distance from that value, at most the column's spread;
     * a float64 column's min and max are its values' distances from the first, rounded to float32.
     */
    private static void assertMatches(FieldVector column, ColumnStats stats, int ddof, double stdTolerance) {
        double[] expected = reference(column, ddof);
        double spread = expected[5] - expected[4];
        double meanTolerance = 1e-6 * spread;
        double minMaxTolerance = column instanceof Float8Vector ? 1e-7 * spread : 0.0;
        assertEquals(column.getName(), stats.column());
        assertEquals((long) expected[0], stats.count());
        assertEquals(column.getNullCount(), stats.nulls());
        assertEquals(expected[1], stats.sum(), meanTolerance * expected[0], "sum");
        assertEquals(expected[2], stats.mean(), meanTolerance, "mean");
        assertEquals(expected[3], stats.std(), stdTolerance * expected[3], "std");
        assertEquals(expected[4], stats.min(), minMaxTolerance, "min");
        assertEquals(expected[5], stats.max(), minMaxTolerance, "max");
    }

    @Test
    void describeGivesEveryFloatColumnsStatisticsSkippingAndCountingNulls() throws Exception {
        Random random = new Random(1);
        try (Float4Vector a = new Float4Vector("a", allocator); Float8Vector b = new Float8Vector("b", allocator);
             Float4Vector empty = new Float4Vector("none", allocator)) {
            a.allocateNew(1001);
            b.allocateNew(1001);
            empty.allocateNew(3);
            for (int row = 0; row < 1001; row++) {
                if (row % 10 == 3) {
                    a.setNull(row);
                } else {
                    a.set(row, (float) random.nextGaussian() * 5 + 2);
                }
                b.set(row, random.nextDouble() * 100 - 50);
            }
            a.setValueCount(1001);
            b.setValueCount(1001);
            empty.setNull(0);
            empty.setNull(1);
            empty.setNull(2);
            empty.setValueCount(3);
            try (VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(a, b, empty))) {
                Map<String, ColumnStats> stats = await(Frame.of(root, kernels).describe());
                assertEquals(List.of("a", "b", "none"), List.copyOf(stats.keySet()));
                assertEquals(100, stats.get("a").nulls());
                assertMatches(a, stats.get("a"), 0, 1e-6);
                assertMatches(b, stats.get("b"), 0, 1e-6);
                assertEquals(new ColumnStats("none", 0, 3, 0, Double.NaN, 0, Double.NaN, Double.NaN), stats.get("none"));

                ColumnStats sample = await(Frame.of(root, kernels).withDdof(1).stats("a"));
                assertMatches(a, sample, 1, 1e-6);
            }
        }
    }

    @Test
    void aMeanOfAMillionWithASmallSpreadKeepsItsVarianceOverTenMillionRows() throws Exception {
        int rows = 10_000_000;
        Random random = new Random(2);
        try (Float4Vector quantized = new Float4Vector("f4", allocator);
             Float8Vector fine = new Float8Vector("f8", allocator)) {
            quantized.allocateNew(rows);
            fine.allocateNew(rows);
            for (int row = 0; row < rows; row++) {
                // float32 holds values near 1e6 in steps of 1/16: a spread of a few steps.
                quantized.set(row, 1e6f + (random.nextInt(9) - 4) * 0.0625f);
                fine.set(row, 1e6 + random.nextGaussian() * 1e-3);
            }
            quantized.setValueCount(rows);
            fine.setValueCount(rows);
            try (VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(quantized, fine))) {
                Map<String, ColumnStats> stats = await(Frame.of(root, kernels).describe());
                assertMatches(quantized, stats.get("f4"), 0, 1e-6);
                assertMatches(fine, stats.get("f8"), 0, 1e-5);
                assertEquals(1e-3, stats.get("f8").std(), 1e-5);
            }
        }
    }

    @Test
    void addAndSaxpyMakeNewColumnsNullWhereAnInputIs() throws Exception {
        try (Float4Vector x = new Float4Vector("x", allocator); Float4Vector y = new Float4Vector("y", allocator)) {
            x.allocateNew(5);
            y.allocateNew(5);
            for (int row = 0; row < 5; row++) {
                x.set(row, row);
                y.set(row, 10 * row);
            }
            y.setNull(3);
            x.setValueCount(5);
            y.setValueCount(5);
            try (VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(x, y));
                 FieldVector sum = await(Frame.of(root, kernels).add("x", "y", "sum"));
                 FieldVector axpy = await(Frame.of(root, kernels).saxpy(0.5, "x", "y", "axpy"))) {
                Float4Vector s = assertInstanceOf(Float4Vector.class, sum);
                Float4Vector a = assertInstanceOf(Float4Vector.class, axpy);
                for (int row = 0; row < 5; row++) {
                    if (row == 3) {
                        assertTrue(s.isNull(row) && a.isNull(row));
                    } else {
                        assertEquals(11f * row, s.get(row));
                        assertEquals(10.5f * row, a.get(row));
                    }
                }
            }
        }
    }

    @Test
    void aValueStatsRefusesFailsNamingTheColumnAndRows() {
        try (Float4Vector x = new Float4Vector("x", allocator)) {
            x.allocateNew(3);
            x.set(0, 1f);
            x.set(1, Float.POSITIVE_INFINITY);
            x.set(2, 2f);
            x.setValueCount(3);
            try (VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(x))) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> Frame.of(root, kernels).stats("x").toCompletableFuture().get(60, TimeUnit.SECONDS));
                ColumnException error = assertInstanceOf(ColumnException.class, e.getCause());
                assertTrue(error.getMessage().startsWith("kernel 'stats' over rows 0 to 2 of column 'x' failed"),
                        error.getMessage());
                assertTrue(error.getMessage().contains("element 1 is Infinity"), error.getMessage());
                x.set(0, -3e38f);
                x.set(1, 3e38f);
                e = assertThrows(ExecutionException.class,
                        () -> Frame.of(root, kernels).stats("x").toCompletableFuture().get(60, TimeUnit.SECONDS));
                assertEquals("column 'x' row 1 holds 3.0000000054977558E38, too far from the column's first value"
                        + " -3.0000000054977558E38 for float32 statistics", e.getCause().getMessage());
                ColumnException missing = assertThrows(ColumnException.class, () -> Frame.of(root, kernels).stats("q"));
                assertEquals("the frame has no column 'q'; it has x", missing.getMessage());
            }
        }
    }
}
