package org.ringkernel.kernels.reference;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * One request to check a kernel with: the shapes of its random inputs, its params, the output shape to
 * expect, and how close to the float64 reference each element must come.
 *
 * @param kernelId the kernel
 * @param inputShapes one shape per input
 * @param params the request's params (others take their defaults)
 * @param outputShape the shape the output must have
 * @param tolerance the largest accepted {@code |got - expected| / max(1, |expected|)}
 * @param masked whether the first input's logits are masked with {@code -Infinity} (see {@link #request})
 */
public record ReferenceCase(String kernelId, List<int[]> inputShapes, Map<String, Double> params, int[] outputShape,
                            double tolerance, boolean masked) {
    private static final float MIN_MAGNITUDE = 0.1f;
    private static final float MAX_MAGNITUDE = 2f;
    private static final int MASK_PERIOD = 3;

    /** An unmasked case. */
    public ReferenceCase(String kernelId, List<int[]> inputShapes, Map<String, Double> params, int[] outputShape,
                         double tolerance) {
        this(kernelId, inputShapes, params, outputShape, tolerance, false);
    }

    /**
     * A request with random inputs whose elements lie in ±[0.1, 2]: never zero, so no output is trivially right.
     * A masked case then sets the first input to {@code -Infinity} at every third element from index 1 and across
     * its whole last row (slice along the last axis) when it has more than one, so one request holds unmasked,
     * partly masked and fully masked rows.
     */
    public KernelRequest request(Random random) {
        List<Tensor> inputs = inputShapes.stream().map(shape -> randomTensor(random, shape)).toList();
        if (masked) {
            mask(inputs.get(0).data(), inputShapes.get(0));
        }
        return new KernelRequest(inputs, params);
    }

    private static void mask(float[] data, int[] shape) {
        for (int i = 1; i < data.length; i += MASK_PERIOD) {
            data[i] = Float.NEGATIVE_INFINITY;
        }
        int n = shape[shape.length - 1];
        if (data.length > n) {
            Arrays.fill(data, data.length - n, data.length, Float.NEGATIVE_INFINITY);
        }
    }

    /** A tensor of {@code shape} with elements in ±[0.1, 2]. */
    public static Tensor randomTensor(Random random, int... shape) {
        float[] data = new float[Math.toIntExact(Tensor.checkShape(shape))];
        for (int i = 0; i < data.length; i++) {
            float magnitude = MIN_MAGNITUDE + (MAX_MAGNITUDE - MIN_MAGNITUDE) * random.nextFloat();
            data[i] = random.nextBoolean() ? magnitude : -magnitude;
        }
        return Tensor.of(shape, data);
    }

    /**
     * The largest relative error of {@code actual} against {@code expected}; infinite when an element is NaN
     * (the poison of an element the kernel never wrote) or the sizes differ.
     */
    public static double maxRelativeError(double[] expected, Tensor actual) {
        if (expected.length != actual.size()) {
            return Double.POSITIVE_INFINITY;
        }
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double error = Math.abs(actual.get(i) - expected[i]) / Math.max(1, Math.abs(expected[i]));
            if (!(error <= Double.MAX_VALUE)) {
                return Double.POSITIVE_INFINITY;
            }
            worst = Math.max(worst, error);
        }
        return worst;
    }

    @Override
    public String toString() {
        String shapes = inputShapes.stream().map(Arrays::toString).collect(Collectors.joining(" "));
        return kernelId + " " + shapes + (params.isEmpty() ? "" : " " + new TreeMap<>(params)) + (masked ? " masked" : "");
    }
}
