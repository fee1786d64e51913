package org.ringkernel.kernels.reference;

import java.util.Arrays;
import java.util.List;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * The built-in kernels computed in float64 by plain, independent code: the yardstick that the CPU and CUDA
 * implementations are measured against by the tests and the self-check.
 *
 * <p>Every method takes float32 inputs as the kernels see them and returns the output's elements, row-major,
 * without rounding them to float32. Inputs are assumed already checked against the kernel's signature.
 */
public final class Float64Reference {

    private Float64Reference() {
    }

    /**
     * The output of kernel {@code kernelId}.
     *
     * @param inputs the inputs in signature order (trailing optional ones may be absent)
     * @param params the params in signature order, as the kernel receives them
     * @throws IllegalArgumentException for an id without a reference
     */
    public static double[] compute(String kernelId, List<Tensor> inputs, float[] params) {
        return switch (kernelId) {
            case "echo" -> echo(inputs.get(0));
            case "square" -> square(inputs.get(0));
            case "add" -> add(inputs.get(0), inputs.get(1));
            case "saxpy" -> saxpy(inputs.get(0), inputs.get(1), params[0]);
            case "normalize" -> normalize(inputs.get(0), params[0]);
            case "stats" -> stats(inputs.get(0), (int) params[0]);
            case "matmul" -> matmul(inputs.get(0), inputs.get(1));
            case "softmax" -> softmax(inputs.get(0));
            case "layer_norm" -> layerNorm(inputs.get(0), optional(inputs, 1), optional(inputs, 2), params[0]);
            case "attention" -> attention(inputs.get(0), inputs.get(1), inputs.get(2), params[0], params[1] != 0f);
            default -> throw new IllegalArgumentException("no float64 reference for kernel '" + kernelId + "'");
        };
    }

    /** {@code echo}: the elements of {@code x}. */
    public static double[] echo(Tensor x) {
        double[] y = new double[x.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = x.get(i);
        }
        return y;
    }

    /** {@code square}: {@code x * x}. */
    public static double[] square(Tensor x) {
        double[] y = echo(x);
        for (int i = 0; i < y.length; i++) {
            y[i] *= y[i];
        }
        return y;
    }

    /** {@code add}: {@code a + b}. */
    public static double[] add(Tensor a, Tensor b) {
        double[] y = new double[a.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = (double) a.get(i) + b.get(i);
        }
        return y;
    }

    /** {@code saxpy}: {@code alpha * x + y}. */
    public static double[] saxpy(Tensor x, Tensor y, double alpha) {
        double[] out = new double[x.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = alpha * x.get(i) + y.get(i);
        }
        return out;
    }

    /** {@code normalize}: each row of {@code x} divided by {@code max(‖row‖₂, eps)}. */
    public static double[] normalize(Tensor x, double eps) {
        int n = lastDim(x);
        double[] y = echo(x);
        for (int start = 0; start < y.length; start += n) {
            double norm = Math.sqrt(sumOfSquares(y, start, n, 0));
            double divisor = Math.max(norm, eps);
            for (int j = start; j < start + n; j++) {
                y[j] /= divisor;
            }
        }
        return y;
    }

    /**
     * {@code stats}: count, sum, mean, std, min, max of every element of {@code x}, with the two-pass variance
     * {@code std = sqrt(Σ (x - mean)² / (count - ddof))}, 0 when {@code count <= ddof}.
     */
    public static double[] stats(Tensor x, int ddof) {
        double[] values = echo(x);
        int count = values.length;
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double value : values) {
            sum += value;
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        double mean = sum / count;
        double std = count > ddof ? Math.sqrt(sumOfSquares(values, 0, count, mean) / (count - ddof)) : 0;
        return new double[] {count, sum, mean, std, min, max};
    }

    /** {@code matmul}: {@code a · b} for {@code a [m, k]} and {@code b [k, n]}. */
    public static double[] matmul(Tensor a, Tensor b) {
        int m = a.dim(0);
        int k = a.dim(1);
        int n = b.dim(1);
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int p = 0; p < k; p++) {
                    dot += (double) a.get(i * k + p) * b.get(p * n + j);
                }
                c[i * n + j] = dot;
            }
        }
        return c;
    }

    /**
     * {@code softmax}: per row {@code exp(x - max) / Σ exp(x - max)}; a {@code -Infinity} logit gets 0, and a row
     * whose every logit is {@code -Infinity} is all zeros.
     */
    public static double[] softmax(Tensor x) {
        int n = lastDim(x);
        double[] y = echo(x);
        for (int start = 0; start < y.length; start += n) {
            softmaxInPlace(y, start, n);
        }
        return y;
    }

    /**
     * {@code layer_norm}: per row {@code (x - mean) / sqrt(var + eps) * gamma + beta} with the two-pass
     * population variance.
     *
     * @param gamma the scale per column, or null for 1
     * @param beta the shift per column, or null for 0
     */
    public static double[] layerNorm(Tensor x, Tensor gamma, Tensor beta, double eps) {
        int n = lastDim(x);
        double[] y = echo(x);
        for (int start = 0; start < y.length; start += n) {
            double mean = 0;
            for (int j = start; j < start + n; j++) {
                mean += y[j];
            }
            mean /= n;
            double variance = sumOfSquares(y, start, n, mean) / n;
            double std = Math.sqrt(variance + eps);
            for (int j = 0; j < n; j++) {
                double scale = gamma == null ? 1 : gamma.get(j);
                double shift = beta == null ? 0 : beta.get(j);
                y[start + j] = (y[start + j] - mean) / std * scale + shift;
            }
        }
        return y;
    }

    /**
     * {@code attention}: {@code softmax(scale · q kᵀ) v} for {@code q [s, d]}, {@code k [t, d]} and
     * {@code v [t, e]}.
     *
     * @param scale the factor of {@code q kᵀ}; 0 means {@code 1/sqrt(d)}
     * @param causal whether query {@code i} sees keys {@code j <= i} only
     */
    public static double[] attention(Tensor q, Tensor k, Tensor v, double scale, boolean causal) {
        int s = q.dim(0);
        int d = q.dim(1);
        int t = k.dim(0);
        int e = v.dim(1);
        double factor = scale == 0 ? 1 / Math.sqrt(d) : scale;
        double[] out = new double[s * e];
        for (int i = 0; i < s; i++) {
            int visible = causal ? Math.min(i + 1, t) : t;
            double[] weights = new double[visible];
            for (int j = 0; j < visible; j++) {
                double dot = 0;
                for (int c = 0; c < d; c++) {
                    dot += (double) q.get(i * d + c) * k.get(j * d + c);
                }
                weights[j] = factor * dot;
            }
            softmaxInPlace(weights, 0, visible);
            for (int c = 0; c < e; c++) {
                double value = 0;
                for (int j = 0; j < visible; j++) {
                    value += weights[j] * v.get(j * e + c);
                }
                out[i * e + c] = value;
            }
        }
        return out;
    }

    private static Tensor optional(List<Tensor> inputs, int index) {
        return index < inputs.size() ? inputs.get(index) : null;
    }

    private static int lastDim(Tensor x) {
        return x.dim(x.rank() - 1);
    }

    private static double sumOfSquares(double[] values, int start, int length, double center) {
        double sum = 0;
        for (int i = start; i < start + length; i++) {
            double deviation = values[i] - center;
            sum += deviation * deviation;
        }
        return sum;
    }

    private static void softmaxInPlace(double[] values, int start, int length) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = start; i < start + length; i++) {
            max = Math.max(max, values[i]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            Arrays.fill(values, start, start + length, 0);
            return;
        }
        double sum = 0;
        for (int i = start; i < start + length; i++) {
            values[i] = Math.exp(values[i] - max);
            sum += values[i];
        }
        for (int i = start; i < start + length; i++) {
            values[i] /= sum;
        }
    }
}
