// layer_norm: per row (x - mean) / sqrt(var + eps) * gamma + beta with the population variance;
// inputs x [..., n], optional gamma [n], optional beta [n]; params: eps.
//
// Mean and variance come from float64 Welford updates merged with Chan's formula: one pass, and no
// cancellation when the mean dwarfs the spread.

#include "ringkernel/elementwise.cuh"
#include "ringkernel/reduce.cuh"
#include "ringkernel/entries.cuh"

namespace rk {

__device__ inline void layer_norm_rows(const Call& call, Stride rows) {
    const TensorArg& x = call.inputs[0];
    const float* gamma = call.input_count > 1 ? call.inputs[1].data : nullptr;
    const float* beta = call.input_count > 2 ? call.inputs[2].data : nullptr;
    float* y = call.outputs[0].data;
    i64 n = last_dim(x);
    double eps = call.params[0];
    i64 count = row_count(x);
    for (i64 row = rows.first; row < count; row += rows.step) {
        const float* in = x.data + row * n;
        float* out = y + row * n;
        Welford w{0.0, 0.0, 0.0};
        for (i64 i = threadIdx.x; i < n; i += blockDim.x) {
            w = welford_add(w, in[i]);
        }
        w = block_allreduce(w, WelfordMerge{});
        double inverse_std = 1.0 / sqrt(w.m2 / w.count + eps);
        for (i64 i = threadIdx.x; i < n; i += blockDim.x) {
            double value = (in[i] - w.mean) * inverse_std;
            if (gamma != nullptr) {
                value *= gamma[i];
            }
            if (beta != nullptr) {
                value += beta[i];
            }
            out[i] = static_cast<float>(value);
        }
    }
}

struct LayerNormOp {
    static __device__ bool accepts(const Call& call) {
        if (call.input_count < 1 || call.input_count > 3 || call.output_count != 1 || call.param_count != 1
            || call.outputs[0].count != call.inputs[0].count) {
            return false;
        }
        int n = last_dim(call.inputs[0]);
        for (int i = 1; i < call.input_count; ++i) {
            if (call.inputs[i].rank != 1 || call.inputs[i].dims[0] != n) {
                return false;
            }
        }
        return true;
    }

    static __device__ void block(const Call& call) { layer_norm_rows(call, all_rows()); }

    static __device__ void grid(const Call& call, char*) { layer_norm_rows(call, grid_rows()); }
};

}  // namespace rk

RK_KERNEL_ENTRIES(layer_norm, rk::LayerNormOp)
