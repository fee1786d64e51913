package org.ringkernel.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.Test;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.data.arrow.ArrowPipeline;
import org.ringkernel.data.frame.ColumnStats;
import org.ringkernel.data.frame.Frame;

/** The README's data example runs and gives the statistics it promises, and the README shows its code. */
class DataExampleTest {
    private static final Path SOURCE = Path.of("src/test/java/org/ringkernel/data/DataExampleTest.java");
    private static final Path README = Path.of("../README.md");

    /** The README's example: a pipeline over two columns, then the frame's statistics. */
    static Map<String, ColumnStats> readmeExample(ActorSystem<?> system, VectorSchemaRoot frame) throws Exception {
        // README: begin
        RingKernels ringKernels = RingKernels.get(system);

        // z = 2 * x^2 + y for every row; element-wise kernels run in arena-sized chunks, nulls carried through.
        ArrowPipeline pipeline = ArrowPipeline.on(ringKernels)
                .column("x").then("square").then("saxpy", Map.of("alpha", 2.0), "y").as("z")
                .build();
        try (VectorSchemaRoot derived = pipeline.run(frame).toCompletableFuture().get(30, TimeUnit.SECONDS)) {
            System.out.println(derived.contentToTSVString());
        }

        // count, nulls, sum, mean, std, min, max of every float column, through the stats kernel.
        return Frame.of(frame, ringKernels).describe().toCompletableFuture().get(30, TimeUnit.SECONDS);
        // README: end
    }

    private static void assertStats(ColumnStats stats, long count, long nulls, double sum, double mean, double std,
                                    double min, double max) {
        assertEquals(count, stats.count());
        assertEquals(nulls, stats.nulls());
        assertEquals(sum, stats.sum(), 1e-6);
        assertEquals(mean, stats.mean(), 1e-6);
        assertEquals(std, stats.std(), 1e-6);
        assertEquals(min, stats.min(), 0.0);
        assertEquals(max, stats.max(), 0.0);
    }

    @Test
    void theReadmeExampleRunsAndGivesTheStatisticsItPromises() throws Exception {
        ActorTestKit testKit = ActorTestKit.create(ConfigFactory.parseString("ringkernel.backend = cpu")
                .withFallback(ConfigFactory.load()));
        try (BufferAllocator allocator = new RootAllocator();
             Float4Vector x = new Float4Vector("x", allocator);
             Float4Vector y = new Float4Vector("y", allocator)) {
            x.allocateNew(4);
            y.allocateNew(4);
            for (int row = 0; row < 4; row++) {
                x.set(row, row);
                y.set(row, 1);
            }
            y.setNull(2);
            x.setValueCount(4);
            y.setValueCount(4);
            try (VectorSchemaRoot frame = new VectorSchemaRoot(List.<FieldVector>of(x, y))) {
                Map<String, ColumnStats> stats = readmeExample(testKit.system(), frame);
                assertStats(stats.get("x"), 4, 0, 6, 1.5, Math.sqrt(1.25), 0, 3);
                assertStats(stats.get("y"), 3, 1, 3, 1, 0, 1, 1);
            }
        } finally {
            testKit.shutdownTestKit();
        }
    }

    @Test
    void theReadmeShowsTheExamplesCode() throws Exception {
        List<String> lines = Files.readAllLines(SOURCE);
        int begin = lines.indexOf("        // README: begin");
        int end = lines.indexOf("        // README: end");
        assertTrue(begin >= 0 && end > begin, "the example marks the lines the README shows");
        String shown = lines.subList(begin + 1, end).stream()
                .map(line -> line.length() >= 8 ? line.substring(8) : line.strip())
                .collect(Collectors.joining("\n"));

        assertTrue(Files.readString(README).contains("```java\n" + shown + "\n```"),
                "README.md's section \"Data: Arrow columns and frame statistics\" shows, as one java block, exactly:\n"
                        + shown);
    }
}
