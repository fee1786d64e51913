package org.ringkernel.kernels.builtin;

import org.ringkernel.bridge.kernel.CostModel;
import org.ringkernel.bridge.kernel.RequestCost;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * The cost models of the built-in kernels: what one request costs one block of the kernel's ring code, from
 * its shapes. Bytes count every read of the arena, so a value read twice counts twice; flops count a fused
 * multiply-add as two and an {@code exp} or a division as one. Each kernel's javadoc states its model, and
 * {@code kernels/README.md} has them all in one table. With {@code n} the elements of the first input:
 *
 * <table>
 *   <caption>Cost of one request</caption>
 *   <tr><th>kernel</th><th>flops</th><th>bytes</th></tr>
 *   <tr><td>echo</td><td>n (copies)</td><td>8n</td></tr>
 *   <tr><td>square</td><td>n</td><td>8n</td></tr>
 *   <tr><td>add</td><td>n</td><td>12n</td></tr>
 *   <tr><td>saxpy</td><td>2n</td><td>12n</td></tr>
 *   <tr><td>normalize</td><td>3n</td><td>12n (x read twice)</td></tr>
 *   <tr><td>softmax</td><td>5n</td><td>12n (x read twice)</td></tr>
 *   <tr><td>layer_norm</td><td>8n</td><td>12n, plus 4n for each of gamma and beta present</td></tr>
 *   <tr><td>stats</td><td>6n</td><td>4n + 24</td></tr>
 *   <tr><td>matmul [m,k]·[k,n]</td><td>2mkn</td><td>4(mk⌈n/64⌉ + kn⌈m/64⌉ + mn)</td></tr>
 *   <tr><td>attention q [s,d], k [t,d], v [t,e]</td><td>p(4d + 2e)</td><td>4p(2d + e) + 4(sd + td + te + se)</td></tr>
 * </table>
 *
 * <p>For attention {@code p} is the number of (query, visible key) pairs: {@code s·t}, or with
 * {@code causal} the pairs with key {@code j <= i}.
 */
final class BuiltinCosts {
    /** The side of the tile of {@code c} that one block of the matmul ring code computes at a time. */
    static final int MATMUL_TILE = 64;

    private BuiltinCosts() {
    }

    /**
     * A kernel that does {@code flopsPerElement} operations per element of its first input and moves
     * {@code bytesPerElement} bytes per element of it.
     */
    static CostModel perElement(double flopsPerElement, double bytesPerElement) {
        return request -> {
            double n = request.request().inputs().get(0).size();
            return new RequestCost(flopsPerElement * n, bytesPerElement * n);
        };
    }

    /** layer_norm: x read twice and y written, and each present gamma or beta read once per row. */
    static CostModel layerNorm() {
        return request -> {
            double n = request.request().inputs().get(0).size();
            int affine = request.request().inputs().size() - 1;
            return new RequestCost(8 * n, (12 + 4 * affine) * n);
        };
    }

    /** stats: x read from memory once (a second pass over a chunk finds it in cache), six values written. */
    static CostModel stats() {
        return request -> {
            double n = request.request().inputs().get(0).size();
            return new RequestCost(6 * n, 4 * n + 24);
        };
    }

    /** matmul: each 64 × 64 tile of c reads a strip of a and a strip of b. */
    static CostModel matmul() {
        return request -> {
            Tensor a = request.request().inputs().get(0);
            double m = a.dim(0);
            double k = a.dim(1);
            double n = request.request().inputs().get(1).dim(1);
            double tileRows = Math.ceil(m / MATMUL_TILE);
            double tileColumns = Math.ceil(n / MATMUL_TILE);
            return new RequestCost(2 * m * k * n, 4 * (m * k * tileColumns + k * n * tileRows + m * n));
        };
    }

    /**
     * attention: per query row, one pass over the visible keys for the softmax's max and sum, a second that
     * computes the scores again and weighs the values, so k is read twice and v once per (query, key) pair.
     */
    static CostModel attention() {
        return request -> {
            Tensor q = request.request().inputs().get(0);
            Tensor k = request.request().inputs().get(1);
            Tensor v = request.request().inputs().get(2);
            double d = q.dim(1);
            double e = v.dim(1);
            double pairs = visiblePairs(q.dim(0), k.dim(0), request.params()[1] != 0f);
            double once = (double) q.size() + k.size() + v.size() + (double) q.dim(0) * v.dim(1);
            return new RequestCost(pairs * (4 * d + 2 * e), 4 * pairs * (2 * d + e) + 4 * once);
        };
    }

    /** (query, key) pairs attention computes: all of them, or with {@code causal} those with key j <= i. */
    static double visiblePairs(long queries, long keys, boolean causal) {
        if (!causal) {
            return (double) queries * keys;
        }
        long full = Math.min(queries, keys);
        return full * (full + 1) / 2.0 + (double) (queries - full) * keys;
    }
}
