package org.ringkernel.kernels.builtin;

import java.nio.FloatBuffer;
import java.util.List;
import org.ringkernel.bridge.kernel.CpuKernel;
import org.ringkernel.bridge.kernel.InputValues;
import org.ringkernel.bridge.kernel.KernelCall;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelSignature;
import org.ringkernel.bridge.kernel.ParamSpec;
import org.ringkernel.bridge.kernel.TensorSpec;

/**
 * {@code stats}: count, sum, mean, std, min and max over every element, in that order, with
 * {@code std = sqrt(M2 / (count - ddof))} (0 when {@code count <= ddof}).
 *
 * <p>Inputs must be finite: a NaN or infinity is rejected when the request is bound, naming the element,
 * rather than turned into NaN moments (an infinity makes the running mean NaN while the sum stays infinite).
 * So min and max compare finite values only, and every backend gives the same six numbers.
 *
 * <p>Each chunk of the input takes two passes in float64 while it is in cache: its sum, min and max, then its
 * squared distances from its own mean, with the corrected two-pass formula (Chan, Golub and LeVeque) that also
 * takes off what rounding left in the mean. Chunks are merged in order with Chan's formula. So large inputs whose
 * mean dwarfs their spread keep their variance, no element pays for a division (as a running mean's update
 * would), and the result does not depend on how many threads took part.
 *
 * <p>Cost ({@link BuiltinCosts}): 6n flops and 4n + 24 bytes for n elements.
 */
public final class StatsKernel implements CpuKernel {
    /** The kernel's id in the catalogue. */
    public static final String ID = "stats";

    /** Index of the element count in the output. */
    public static final int COUNT = 0;
    /** Index of the sum in the output. */
    public static final int SUM = 1;
    /** Index of the mean in the output. */
    public static final int MEAN = 2;
    /** Index of the standard deviation in the output. */
    public static final int STD = 3;
    /** Index of the smallest element in the output. */
    public static final int MIN = 4;
    /** Index of the largest element in the output. */
    public static final int MAX = 5;
    private static final int VALUES = 6;

    /** Elements per chunk: a unit of parallel work whose second pass finds it in cache (256 KiB). */
    private static final int CHUNK = 1 << 16;

    private static final KernelDefinition DEFINITION = BuiltinDefinition.of(ID,
            "count, sum, mean, std, min, max over all elements (float64 moments); finite inputs only",
            new KernelSignature(
                    List.of(TensorSpec.required("x", "any shape")),
                    List.of(TensorSpec.required("stats", "[" + VALUES + "]")),
                    List.of(ParamSpec.integral("ddof", 0, 0, 1,
                            "delta degrees of freedom: 0 for the population std, 1 for the sample std")),
                    InputValues.FINITE, check -> new int[][] {{VALUES}})
                    .withCost(BuiltinCosts.stats()),
            new StatsKernel());

    private StatsKernel() {
    }

    /** The kernel's definition for the catalogue. */
    public static KernelDefinition definition() {
        return DEFINITION;
    }

    @Override
    public void execute(KernelCall call) {
        int ddof = (int) call.param(0);
        FloatBuffer x = call.input(0);
        int size = x.limit();
        Moments[] chunks = new Moments[(size + CHUNK - 1) / CHUNK];
        Parallel.forRange(chunks.length, size, (from, to) -> {
            for (int chunk = from; chunk < to; chunk++) {
                int start = chunk * CHUNK;
                chunks[chunk] = Moments.of(x, start, Math.min(size, start + CHUNK));
            }
        });
        Moments total = chunks[0];
        for (int chunk = 1; chunk < chunks.length; chunk++) {
            total.merge(chunks[chunk]);
        }
        FloatBuffer out = call.output(0);
        out.put(COUNT, (float) total.count);
        out.put(SUM, (float) total.sum);
        out.put(MEAN, (float) total.mean);
        out.put(STD, total.count > ddof ? (float) Math.sqrt(total.m2 / (total.count - ddof)) : 0f);
        out.put(MIN, total.min);
        out.put(MAX, total.max);
    }

    /** Running moments of a run of elements; local to one request. */
    private static final class Moments {
        private long count;
        private double sum;
        private double mean;
        private double m2;
        private float min = Float.POSITIVE_INFINITY;
        private float max = Float.NEGATIVE_INFINITY;

        /**
         * The moments of elements {@code from} to {@code to}. The loops are kept plain: the compiler unrolls them
         * itself, and measured slower when they were unrolled by hand.
         */
        static Moments of(FloatBuffer x, int from, int to) {
            double sum = 0;
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = from; i < to; i++) {
                float value = x.get(i);
                sum += value;
                min = Math.min(min, value);
                max = Math.max(max, value);
            }
            long count = to - from;
            double mean = sum / count;
            double squares = 0;
            double residual = 0;
            for (int i = from; i < to; i++) {
                double distance = x.get(i) - mean;
                squares += distance * distance;
                residual += distance;
            }
            Moments moments = new Moments();
            moments.count = count;
            moments.sum = sum;
            moments.mean = mean + residual / count;
            moments.m2 = Math.max(0, squares - residual * residual / count);
            moments.min = min;
            moments.max = max;
            return moments;
        }

        /** Chan et al.'s pairwise merge: exact in exact arithmetic, and stable for chunks of similar size. */
        void merge(Moments other) {
            long merged = count + other.count;
            double delta = other.mean - mean;
            mean += delta * other.count / merged;
            m2 += other.m2 + delta * delta * ((double) count * other.count / merged);
            count = merged;
            sum += other.sum;
            min = Math.min(min, other.min);
            max = Math.max(max, other.max);
        }
    }
}
