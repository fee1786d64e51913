package org.ringkernel.bench;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.pekko.actor.typed.ActorSystem;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.data.arrow.ArrowKernels;
import org.ringkernel.data.frame.ColumnStats;
import org.ringkernel.data.frame.Frame;

/**
 * A 10^7-row {@code Float4Vector} through the kernels against plain Java loops over the same Arrow buffer: the
 * column's statistics ({@link Frame#stats} on the {@code stats} kernel against a plain two-pass loop in float64:
 * sum, min and max, then the squared distances from the mean) and
 * an element-wise {@code square} into a new column ({@link ArrowKernels#apply} against a loop writing a new
 * vector). Both sides read the column where it lies and allocate their output the same way; the kernel side
 * pays for the chunked requests through the ring.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx2g"})
@State(Scope.Benchmark)
public class ArrowBenchmark {
    private static final int ROWS = 10_000_000;

    private ActorSystem<Void> system;
    private BufferAllocator allocator;
    private Float4Vector column;
    private VectorSchemaRoot frame;
    private ArrowKernels arrow;

    @Setup
    public void setUp() {
        system = BenchSystems.create("arrow", "ringkernel.kernels.start = [stats, square]");
        allocator = new RootAllocator();
        column = new Float4Vector("x", allocator);
        column.allocateNew(ROWS);
        Random random = new Random(17);
        for (int row = 0; row < ROWS; row++) {
            column.set(row, 100f + (float) random.nextGaussian());
        }
        column.setValueCount(ROWS);
        frame = VectorSchemaRoot.of(column);
        arrow = ArrowKernels.on(RingKernels.get(system));
    }

    @TearDown
    public void tearDown() throws Exception {
        frame.close();
        allocator.close();
        BenchSystems.terminate(system);
    }

    @Benchmark
    public ColumnStats kernelStats() throws Exception {
        return Frame.of(frame, arrow).stats("x").toCompletableFuture()
                .get(BenchSystems.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Benchmark
    public ColumnStats loopStats() {
        FloatBuffer values = column.getDataBuffer().nioBuffer(0, ROWS * Float.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        double sum = 0;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int row = 0; row < ROWS; row++) {
            float value = values.get(row);
            sum += value;
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        double mean = sum / ROWS;
        double m2 = 0;
        for (int row = 0; row < ROWS; row++) {
            double distance = values.get(row) - mean;
            m2 += distance * distance;
        }
        return new ColumnStats("x", ROWS, 0, sum, mean, Math.sqrt(m2 / ROWS), min, max);
    }

    @Benchmark
    public int kernelSquare() throws Exception {
        try (FieldVector squares = arrow.apply("square", "x2", column).toCompletableFuture()
                .get(BenchSystems.TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            return squares.getValueCount();
        }
    }

    @Benchmark
    public int loopSquare() {
        try (Float4Vector squares = new Float4Vector("x2", allocator)) {
            squares.allocateNew(ROWS);
            ArrowBuf in = column.getDataBuffer();
            ArrowBuf out = squares.getDataBuffer();
            for (long offset = 0; offset < (long) ROWS * Float.BYTES; offset += Float.BYTES) {
                float value = in.getFloat(offset);
                out.setFloat(offset, value * value);
            }
            squares.getValidityBuffer().setOne(0, (ROWS + 7) / 8);
            squares.setValueCount(ROWS);
            return squares.getValueCount();
        }
    }
}
