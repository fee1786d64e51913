package org.ringkernel.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.ringkernel.bridge.clock.HybridLogicalClock;
import org.ringkernel.bridge.cpu.CpuBackend;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.runtime.ArenaOutputs;
import org.ringkernel.bridge.runtime.BridgeSettings;
import org.ringkernel.bridge.runtime.Completion;
import org.ringkernel.bridge.runtime.InstanceSettings;
import org.ringkernel.bridge.runtime.KernelInstance;
import org.ringkernel.bridge.runtime.KernelState;
import org.ringkernel.bridge.runtime.RequestPump;
import org.ringkernel.kernels.builtin.MatmulKernel;
import org.ringkernel.kernels.builtin.SaxpyKernel;
import org.ringkernel.kernels.builtin.SquareKernel;

/**
 * The CPU kernels on large inputs against plain Java loops on {@code float[]}:
 * <ul>
 *   <li>{@code *Kernel}: the kernel's CPU implementation called directly through a {@link BufferKernelCall}
 *   over direct buffers (no rings, no copies);</li>
 *   <li>{@code *Process}: the whole path without actors, {@code definition.bindForStaging} and
 *   {@link RequestPump#call} through a CPU backend instance, the check of the input values and a new output array
 *   included (at this size the loop reads the input and writes the output array where they lie, without copies
 *   through the arena);</li>
 *   <li>{@code *ProcessInPlace}: the same, but the outputs are read in place ({@link RequestPump#callInPlace}) and
 *   copied into a preallocated array, as the plain loop writes into one;</li>
 *   <li>{@code *Loop}: the plain loop, into a preallocated output array.</li>
 * </ul>
 * Scores of the element-wise kernels are elements per second, of matmul multiply-adds per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:MaxDirectMemorySize=1g"})
public class CpuKernelBenchmark {
    static final int ELEMENTS = 1 << 24;
    static final int MATRIX = 512;
    static final int MULTIPLY_ADDS = MATRIX * MATRIX * MATRIX;
    static final float ALPHA = 2.5f;
    /** Arena of the process path: saxpy's two inputs and its output, 64 MiB each, with room to spare. */
    static final int ARENA_BYTES = 256 << 20;
    /*
     * The process path allocates a 64 MiB output per call. On a heap that is not pre-touched, each lands on pages
     * never touched until the first collection, and their page faults would be measured as the path's time.
     * Pre-touching costs seconds per gigabyte at fork start, so only these forks do it, on a heap just large enough.
     */
    static final String PRE_TOUCHED_HEAP = "-Xms1g";
    static final String PRE_TOUCHED_HEAP_MAX = "-Xmx1g";
    static final String PRE_TOUCH = "-XX:+AlwaysPreTouch";

    /** Inputs and output of the element-wise kernels, on the heap. */
    @State(Scope.Benchmark)
    public static class Arrays {
        float[] x;
        float[] y;
        float[] out;

        @Setup
        public void setUp() {
            x = Payloads.random(ELEMENTS, 1);
            y = Payloads.random(ELEMENTS, 2);
            out = new float[ELEMENTS];
        }
    }

    /** The same inputs in direct memory, and the calls of {@code square} and {@code saxpy} over them. */
    @State(Scope.Benchmark)
    public static class DirectCalls {
        BufferKernelCall square;
        BufferKernelCall saxpy;

        @Setup
        public void setUp(Arrays arrays) {
            ByteBuffer x = BufferKernelCall.direct(arrays.x);
            ByteBuffer y = BufferKernelCall.direct(arrays.y);
            ByteBuffer out = BufferKernelCall.direct(ELEMENTS);
            int[][] shapes = {{ELEMENTS}, {ELEMENTS}};
            square = new BufferKernelCall(new ByteBuffer[] {x}, shapes, new ByteBuffer[] {out}, new float[0]);
            saxpy = new BufferKernelCall(new ByteBuffer[] {x, y}, shapes, new ByteBuffer[] {out}, new float[] {ALPHA});
        }
    }

    /** Two random {@link #MATRIX} x {@link #MATRIX} matrices, on the heap and as a matmul call. */
    @State(Scope.Benchmark)
    public static class Matrices {
        float[] a;
        float[] b;
        float[] c;
        BufferKernelCall call;

        @Setup
        public void setUp() {
            a = Payloads.random(MATRIX * MATRIX, 3);
            b = Payloads.random(MATRIX * MATRIX, 4);
            c = new float[MATRIX * MATRIX];
            int[][] shapes = {{MATRIX, MATRIX}, {MATRIX, MATRIX}};
            call = new BufferKernelCall(new ByteBuffer[] {BufferKernelCall.direct(a), BufferKernelCall.direct(b)},
                    shapes, new ByteBuffer[] {BufferKernelCall.direct(MATRIX * MATRIX)}, new float[0]);
        }
    }

    /** A CPU backend running one instance of {@code square} with a large arena. */
    @State(Scope.Benchmark)
    public static class SquareInstance {
        final Pumped pumped = new Pumped();

        @Setup
        public void setUp(Arrays arrays) {
            pumped.launch(SquareKernel.definition(), KernelRequest.of(Tensor.of(arrays.x)));
        }

        @TearDown
        public void tearDown() {
            pumped.close();
        }
    }

    /** A CPU backend running one instance of {@code saxpy} with a large arena. */
    @State(Scope.Benchmark)
    public static class SaxpyInstance {
        final Pumped pumped = new Pumped();

        @Setup
        public void setUp(Arrays arrays) {
            pumped.launch(SaxpyKernel.definition(),
                    KernelRequest.of(Tensor.of(arrays.x), Tensor.of(arrays.y)).withParam("alpha", ALPHA));
        }

        @TearDown
        public void tearDown() {
            pumped.close();
        }
    }

    /** One kernel instance on its own CPU backend, and the request the benchmark sends it. */
    static final class Pumped {
        private static final Duration TIMEOUT = Duration.ofSeconds(30);

        private CpuBackend backend;
        private KernelInstance instance;
        private KernelRequest request;

        void launch(KernelDefinition definition, KernelRequest request) {
            this.request = request;
            backend = new CpuBackend(HybridLogicalClock.system(), Duration.ofSeconds(5));
            instance = backend.launch(definition, new InstanceSettings(16, ARENA_BYTES, 16, false,
                    BridgeSettings.load().instance().idle()));
            instance.activate();
            KernelState state = instance.awaitState(s -> s == KernelState.ACTIVE, TIMEOUT);
            if (state != KernelState.ACTIVE) {
                throw new IllegalStateException(instance + " did not become active: " + state);
            }
        }

        List<Tensor> call() throws TimeoutException {
            Completion completion = RequestPump.call(instance, instance.definition().bindForStaging(request), TIMEOUT);
            if (!completion.ok()) {
                throw new IllegalStateException(instance + " answered " + completion.status());
            }
            return completion.outputs();
        }

        float[] callInPlace(float[] out) throws TimeoutException {
            Completion completion = RequestPump.callInPlace(instance, instance.definition().bindForStaging(request),
                    TIMEOUT);
            if (!completion.ok()) {
                throw new IllegalStateException(instance + " answered " + completion.status());
            }
            try (ArenaOutputs outputs = completion.inPlace().orElseThrow()) {
                outputs.copyTo(0, out, 0);
            }
            return out;
        }

        void close() {
            backend.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public void squareKernel(DirectCalls calls) {
        SquareKernel.definition().cpu().execute(calls.square);
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    @Fork(value = 2, jvmArgsAppend = {PRE_TOUCHED_HEAP, PRE_TOUCHED_HEAP_MAX, PRE_TOUCH, "-XX:MaxDirectMemorySize=1g"})
    public List<Tensor> squareProcess(SquareInstance instance) throws TimeoutException {
        return instance.pumped.call();
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public float[] squareProcessInPlace(SquareInstance instance, Arrays arrays) throws TimeoutException {
        return instance.pumped.callInPlace(arrays.out);
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public float[] squareLoop(Arrays arrays) {
        float[] x = arrays.x;
        float[] out = arrays.out;
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] * x[i];
        }
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public void saxpyKernel(DirectCalls calls) {
        SaxpyKernel.definition().cpu().execute(calls.saxpy);
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    @Fork(value = 2, jvmArgsAppend = {PRE_TOUCHED_HEAP, PRE_TOUCHED_HEAP_MAX, PRE_TOUCH, "-XX:MaxDirectMemorySize=1g"})
    public List<Tensor> saxpyProcess(SaxpyInstance instance) throws TimeoutException {
        return instance.pumped.call();
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public float[] saxpyLoop(Arrays arrays) {
        float[] x = arrays.x;
        float[] y = arrays.y;
        float[] out = arrays.out;
        for (int i = 0; i < x.length; i++) {
            out[i] = ALPHA * x[i] + y[i];
        }
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(MULTIPLY_ADDS)
    public void matmulKernel(Matrices matrices) {
        MatmulKernel.definition().cpu().execute(matrices.call);
    }

    @Benchmark
    @OperationsPerInvocation(MULTIPLY_ADDS)
    public float[] matmulNaive(Matrices matrices) {
        float[] a = matrices.a;
        float[] b = matrices.b;
        float[] c = matrices.c;
        for (int i = 0; i < MATRIX; i++) {
            for (int j = 0; j < MATRIX; j++) {
                float sum = 0;
                for (int k = 0; k < MATRIX; k++) {
                    sum += a[i * MATRIX + k] * b[k * MATRIX + j];
                }
                c[i * MATRIX + j] = sum;
            }
        }
        return c;
    }
}
