// attention: softmax(scale . q k^T) v for q [s, d], k [t, d], v [t, e], giving [s, e]; params: scale
// (0 means 1/sqrt(d)), causal (1 lets query i see keys j <= i only).
//
// A block computes one query row at a time. A first pass over the visible keys finds the row's max
// score and its sum of exp(score - max); then, for each run of 256 output columns, the scores are
// computed again a chunk of 256 keys at a time, their weights staged in shared memory, and each thread
// accumulates one column. No buffer grows with t or e, and every exp() sees a non-positive argument.
// A warp computes a score, its lanes striding along d, so the reads of q and k are coalesced.

#include "ringkernel/elementwise.cuh"
#include "ringkernel/reduce.cuh"
#include "ringkernel/entries.cuh"

namespace rk {

constexpr int kKeyChunk = kBlockThreads;

struct AttentionShape {
    i64 s;
    i64 t;
    i64 d;
    i64 e;
    float scale;
    bool causal;
};

// The scaled score of query row q against key row k; every lane of the warp gets it. The product is
// rounded on its own (__fmul_rn is never fused), so both passes compute the very same score and the
// second pass's exp(score - max) never exceeds 1.
__device__ __forceinline__ float warp_score(const float* q, const float* k, i64 d, float scale) {
    float dot = 0.0f;
    for (i64 c = threadIdx.x % kWarpThreads; c < d; c += kWarpThreads) {
        dot = fmaf(q[c], k[c], dot);
    }
    return __fmul_rn(scale, warp_allreduce(dot, Sum{}));
}

__device__ inline void attend(const Call& call, const AttentionShape& a, i64 i) {
    __shared__ float weights[kKeyChunk];
    const float* q = call.inputs[0].data + i * a.d;
    const float* keys = call.inputs[1].data;
    const float* values = call.inputs[2].data;
    float* out = call.outputs[0].data + i * a.e;
    const int warp = threadIdx.x / kWarpThreads;
    const i64 visible = a.causal ? min(i + 1, a.t) : a.t;

    SoftmaxState state = softmax_identity();
    for (i64 j = warp; j < visible; j += kWarps) {
        state = softmax_add(state, warp_score(q, keys + j * a.d, a.d, a.scale));
    }
    state = block_merge_warps(state, SoftmaxMerge{});

    for (i64 c0 = 0; c0 < a.e; c0 += kBlockThreads) {
        const i64 c = c0 + threadIdx.x;
        float acc = 0.0f;
        for (i64 j0 = 0; j0 < visible; j0 += kKeyChunk) {
            for (int jj = warp; jj < kKeyChunk; jj += kWarps) {
                i64 j = j0 + jj;
                float w = j < visible ? expf(warp_score(q, keys + j * a.d, a.d, a.scale) - state.max) : 0.0f;
                if (threadIdx.x % kWarpThreads == 0) {
                    weights[jj] = w;
                }
            }
            __syncthreads();
            if (c < a.e) {
                i64 chunk = min(static_cast<i64>(kKeyChunk), visible - j0);
                for (i64 jj = 0; jj < chunk; ++jj) {
                    acc = fmaf(weights[jj], values[(j0 + jj) * a.e + c], acc);
                }
            }
            __syncthreads();  // the weights are restaged for the next chunk
        }
        if (c < a.e) {
            out[c] = acc / state.sum;
        }
    }
}

__device__ inline void attention_rows(const Call& call, Stride rows) {
    AttentionShape a;
    a.s = call.inputs[0].dims[0];
    a.d = call.inputs[0].dims[1];
    a.t = call.inputs[1].dims[0];
    a.e = call.inputs[2].dims[1];
    a.scale = call.params[0] == 0.0f ? 1.0f / sqrtf(static_cast<float>(a.d)) : call.params[0];  // both correctly rounded
    a.causal = call.params[1] != 0.0f;
    for (i64 i = rows.first; i < a.s; i += rows.step) {
        attend(call, a, i);
    }
}

struct AttentionOp {
    static __device__ bool accepts(const Call& call) {
        const TensorArg& q = call.inputs[0];
        const TensorArg& k = call.inputs[1];
        const TensorArg& v = call.inputs[2];
        return has_counts(call, 3, 1, 2) && is_matrix(q) && is_matrix(k) && is_matrix(v) && k.dims[1] == q.dims[1]
               && v.dims[0] == k.dims[0]
               && static_cast<i64>(call.outputs[0].count) == static_cast<i64>(q.dims[0]) * v.dims[1];
    }

    static __device__ void block(const Call& call) { attention_rows(call, all_rows()); }

    static __device__ void grid(const Call& call, char*) { attention_rows(call, grid_rows()); }
};

}  // namespace rk

RK_KERNEL_ENTRIES(attention, rk::AttentionOp)
