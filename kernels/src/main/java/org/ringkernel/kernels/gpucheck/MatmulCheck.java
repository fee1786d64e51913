package org.ringkernel.kernels.gpucheck;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeoutException;
import org.ringkernel.bridge.kernel.BoundRequest;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.runtime.Backend;
import org.ringkernel.bridge.runtime.Completion;
import org.ringkernel.bridge.runtime.ExecutionPath;
import org.ringkernel.bridge.runtime.InstanceSettings;
import org.ringkernel.bridge.runtime.KernelInstance;
import org.ringkernel.bridge.runtime.RequestPump;
import org.ringkernel.kernels.builtin.BuiltinKernels;

/**
 * {@code matmul} of two 4096 x 4096 matrices through the backend, which runs it on the launch path, as
 * 2·n³ floating-point operations per second. There is no launch-free way to compare it with, so its
 * baseline is a number, not a run: the nominal fp32 peak of an H200 (SXM, 67 TFLOP/s without tensor cores);
 * the ratio says how much of the device the path and the kernel use.
 *
 * <p>Two rows: the whole call ({@code RequestPump.call}: the host copies both inputs into the arena, the
 * launch path copies them to the device, launches, copies the product back, and the host copies it out of
 * the arena), and the launch path's own time for the batch as the completion reports it (copies to and from
 * the device and the kernel). Each is the median of three calls after a warm-up call. Every product is
 * checked at sampled entries, the corners among them, against a float64 dot product.
 */
final class MatmulCheck {
    private static final String MEASURE = "`matmul` 4096²";
    private static final int N = 4096;
    private static final double FLOPS = 2.0 * N * N * N;
    /** fp32 peak of an NVIDIA H200 SXM without tensor cores, as NVIDIA's data sheet states it. */
    private static final double NOMINAL_GFLOPS = 67_000;
    private static final int CALLS = 3;
    /** Three matrices of 64 MiB, each rounded up to the arena's alignment, and room to spare. */
    private static final int ARENA_BYTES = 256 << 20;
    private static final int SAMPLES = 256;
    /**
     * The largest error allowed at a sampled entry, relative to the sum of |a_ik · b_kj| over k. Summing 4096
     * products in float32, one after another, errs by about 1e-7 of that sum on these inputs; a missing tile,
     * a wrong index or a race errs by far more than 1e-5.
     */
    private static final double TOLERANCE = 1e-5;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private MatmulCheck() {
    }

    static List<Row> run(Backend backend, InstanceSettings base, Random random) {
        KernelDefinition matmul = BuiltinKernels.get("matmul");
        float[] a = RandomFloats.of(random, N * N);
        float[] b = RandomFloats.of(random, N * N);
        // Calls alternate between a and -a, so a product left over from the call before cannot pass.
        float[][] lefts = {a, negated(a)};
        BoundRequest[] requests = new BoundRequest[lefts.length];
        for (int i = 0; i < lefts.length; i++) {
            requests[i] = matmul.bind(KernelRequest.of(Tensor.of(new int[] {N, N}, lefts[i]),
                    Tensor.of(new int[] {N, N}, b)));
        }
        long[] callNanos = new long[CALLS];
        long[] batchNanos = new long[CALLS];
        InstanceSettings settings = BackendRuns.withArena(base, ARENA_BYTES);
        try (BackendRuns.Launched launched = BackendRuns.active(backend, matmul, settings, BackendRuns.LAUNCH)) {
            KernelInstance instance = launched.instance();
            for (int call = -1; call < CALLS; call++) {
                int which = (call + 1) % lefts.length;
                long start = System.nanoTime();
                Completion completion = call(instance, requests[which]);
                long elapsed = System.nanoTime() - start;
                requireProduct(lefts[which], b, completion.outputs().get(0).data(), random);
                if (call >= 0) {
                    callNanos[call] = elapsed;
                    batchNanos[call] = completion.kernelNanos();
                }
            }
        }
        String note = String.format(Locale.ROOT, "median of %d calls after 1 warm-up; baseline: nominal fp32 of an"
                + " H200 SXM (%,.0f GFLOP/s)", CALLS, NOMINAL_GFLOPS);
        return List.of(
                new Row(MEASURE + " through the backend, whole call (arena copies, launch path)", Unit.GIGAFLOPS,
                        gigaflops(callNanos), NOMINAL_GFLOPS, note),
                new Row(MEASURE + ", launch path's batch time (device copies and kernel)", Unit.GIGAFLOPS,
                        gigaflops(batchNanos), NOMINAL_GFLOPS, note));
    }

    private static Completion call(KernelInstance instance, BoundRequest request) {
        Completion completion;
        try {
            completion = RequestPump.call(instance, request, TIMEOUT);
        } catch (TimeoutException e) {
            throw new CheckFailure(MEASURE + ": " + e.getMessage());
        }
        BackendRuns.require(MEASURE, instance, completion, ExecutionPath.LAUNCH);
        return completion;
    }

    /** Compares sampled entries, the four corners among them, with float64 dot products. */
    private static void requireProduct(float[] a, float[] b, float[] c, Random random) {
        int[][] corners = {{0, 0}, {0, N - 1}, {N - 1, 0}, {N - 1, N - 1}};
        for (int s = 0; s < SAMPLES; s++) {
            int i = s < corners.length ? corners[s][0] : random.nextInt(N);
            int j = s < corners.length ? corners[s][1] : random.nextInt(N);
            double dot = 0;
            double magnitude = 0;
            for (int k = 0; k < N; k++) {
                double term = (double) a[i * N + k] * b[k * N + j];
                dot += term;
                magnitude += Math.abs(term);
            }
            double error = Math.abs(c[i * N + j] - dot) / magnitude;
            if (!(error <= TOLERANCE)) {
                throw new CheckFailure(MEASURE + ": c[" + i + "][" + j + "] is " + c[i * N + j] + " but the float64"
                        + " dot product is " + dot + " (error " + error + " of the sum of |terms|, allowed "
                        + TOLERANCE + ")");
            }
        }
    }

    private static float[] negated(float[] values) {
        float[] negated = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            negated[i] = -values[i];
        }
        return negated;
    }

    private static double gigaflops(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return FLOPS / sorted[sorted.length / 2];
    }
}
