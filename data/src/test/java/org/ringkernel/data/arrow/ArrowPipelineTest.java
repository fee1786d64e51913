package org.ringkernel.data.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
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

/** Chains of kernels over a frame's columns, on the CPU backend with an arena small enough to chunk. */
class ArrowPipelineTest {
    private static ActorTestKit testKit;
    private static RingKernels kernels;
    private static BufferAllocator allocator;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create(ConfigFactory.parseString("""
                ringkernel.backend = cpu
                ringkernel.kernel.arena-size = 256 KiB
                """).withFallback(ConfigFactory.load()));
        kernels = RingKernels.get(testKit.system());
        allocator = new RootAllocator();
    }

    @AfterAll
    static void stop() {
        allocator.close();
        testKit.shutdownTestKit();
    }

    private static VectorSchemaRoot frame(int rows) {
        Float4Vector x = new Float4Vector("x", allocator);
        Float8Vector y = new Float8Vector("y", allocator);
        x.allocateNew(rows);
        y.allocateNew(rows);
        for (int row = 0; row < rows; row++) {
            x.set(row, (row % 100) / 10f - 5);
            if (row % 13 == 0) {
                y.setNull(row);
            } else {
                y.set(row, row % 7 - 3.5);
            }
        }
        x.setValueCount(rows);
        y.setValueCount(rows);
        return new VectorSchemaRoot(List.<FieldVector>of(x, y));
    }

    @Test
    void chainsRunTheirKernelsInOrderAndLaterChainsReadEarlierColumns() throws Exception {
        int rows = 100_001;
        ArrowPipeline pipeline = ArrowPipeline.on(kernels)
                .column("x").then("square").then("saxpy", Map.of("alpha", 2.0), "y").as("z")
                .column("z").then("add", Map.of(), "x").as("w")
                .build();
        try (VectorSchemaRoot frame = frame(rows);
             VectorSchemaRoot derived = pipeline.run(frame).toCompletableFuture().get(60, TimeUnit.SECONDS)) {
            assertEquals(List.of("z", "w"), derived.getFieldVectors().stream().map(FieldVector::getName).toList());
            assertEquals(rows, derived.getRowCount());
            Float4Vector x = (Float4Vector) frame.getVector("x");
            Float8Vector y = (Float8Vector) frame.getVector("y");
            Float4Vector z = assertInstanceOf(Float4Vector.class, derived.getVector("z"));
            Float4Vector w = assertInstanceOf(Float4Vector.class, derived.getVector("w"));
            for (int row = 0; row < rows; row++) {
                if (y.isNull(row)) {
                    assertTrue(z.isNull(row) && w.isNull(row), "row " + row);
                    continue;
                }
                double expected = 2.0 * x.get(row) * x.get(row) + y.get(row);
                assertEquals(expected, z.get(row), 1e-5, "row " + row);
                assertEquals(expected + x.get(row), w.get(row), 1e-5, "row " + row);
            }
        }
        assertEquals(0, allocator.getAllocatedMemory(), "every intermediate column was closed");
    }

    @Test
    void aChainThatChangesTheRowCountOrReadsAnUnknownColumnFails() throws Exception {
        try (VectorSchemaRoot frame = frame(10)) {
            ExecutionException shrunk = assertThrows(ExecutionException.class, () -> ArrowPipeline.on(kernels)
                    .column("x").then("stats").as("s").build().run(frame).toCompletableFuture().get(60, TimeUnit.SECONDS));
            assertEquals("chain 's' gives 6 values but the frame has 10 rows; a pipeline makes columns of the frame's"
                    + " rows", shrunk.getCause().getMessage());

            ExecutionException unknown = assertThrows(ExecutionException.class, () -> ArrowPipeline.on(kernels)
                    .column("x").then("add", Map.of(), "q").as("s").build().run(frame).toCompletableFuture()
                    .get(60, TimeUnit.SECONDS));
            assertEquals("chain 's' reads column 'q', which the frame does not have; it has x, y",
                    unknown.getCause().getMessage());
        }
        assertEquals(0, allocator.getAllocatedMemory());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> ArrowPipeline.on(kernels).column("x").as("s"));
        assertTrue(empty.getMessage().contains("has no kernel"), empty.getMessage());
    }
}
