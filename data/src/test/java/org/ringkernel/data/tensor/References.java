package org.ringkernel.data.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Float64 references of the tensor operations, over row-major arrays, and the comparison the tests use. */
final class References {
    private References() {
    }

    static double[] matmul(float[] a, float[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += (double) a[i * k + p] * b[p * n + j];
                }
                c[i * n + j] = sum;
            }
        }
        return c;
    }

    static double[] softmax(double[] x, int n) {
        double[] y = new double[x.length];
        for (int start = 0; start < x.length; start += n) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, x[start + j]);
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.exp(x[start + j] - max);
            }
            for (int j = 0; j < n; j++) {
                y[start + j] = Math.exp(x[start + j] - max) / sum;
            }
        }
        return y;
    }

    /** Layer norm per row of n; null gamma and beta mean 1 and 0. */
    static double[] layerNorm(double[] x, int n, float[] gamma, float[] beta, double eps) {
        double[] y = new double[x.length];
        for (int start = 0; start < x.length; start += n) {
            double mean = 0;
            for (int j = 0; j < n; j++) {
                mean += x[start + j];
            }
            mean /= n;
            double variance = 0;
            for (int j = 0; j < n; j++) {
                variance += (x[start + j] - mean) * (x[start + j] - mean);
            }
            variance /= n;
            double inverse = 1 / Math.sqrt(variance + eps);
            for (int j = 0; j < n; j++) {
                double normalized = (x[start + j] - mean) * inverse;
                y[start + j] = normalized * (gamma == null ? 1 : gamma[j]) + (beta == null ? 0 : beta[j]);
            }
        }
        return y;
    }

    static double[] attention(float[] q, float[] k, float[] v, int s, int t, int d, int e, double scale,
                              boolean causal) {
        double factor = scale == 0 ? 1 / Math.sqrt(d) : scale;
        double[] out = new double[s * e];
        for (int i = 0; i < s; i++) {
            int visible = causal ? Math.min(i + 1, t) : t;
            double[] scores = new double[visible];
            for (int j = 0; j < visible; j++) {
                double dot = 0;
                for (int c = 0; c < d; c++) {
                    dot += (double) q[i * d + c] * k[j * d + c];
                }
                scores[j] = factor * dot;
            }
            double[] weights = softmax(scores, visible);
            for (int j = 0; j < visible; j++) {
                for (int c = 0; c < e; c++) {
                    out[i * e + c] += weights[j] * v[j * e + c];
                }
            }
        }
        return out;
    }

    static double gelu(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    static double[] widen(float[] values) {
        double[] wide = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            wide[i] = values[i];
        }
        return wide;
    }

    /** Every element within {@code tolerance · (1 + |reference|)}, and the expected shape. */
    static void assertClose(int[] shape, double[] reference, NdArray actual, double tolerance) {
        assertArrayEquals(shape, actual.shape(), "shape");
        assertEquals(reference.length, actual.size(), "size");
        for (int i = 0; i < reference.length; i++) {
            assertEquals(reference[i], actual.getFlat(i), tolerance * (1 + Math.abs(reference[i])),
                    "element " + i + " of shape " + java.util.Arrays.toString(shape));
        }
    }
}
