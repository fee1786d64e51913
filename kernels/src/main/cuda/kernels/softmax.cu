// softmax: per row exp(x - max) / sum(exp(x - max)).
//
// One pass keeps a running max and a sum rescaled whenever the max grows, so no exp() sees a positive
// argument and the row is read twice, not three times. A -inf logit is a mask: it gets 0, and a row of
// only -inf (sum 0) gives all zeros. NaN and +inf never arrive: the signature rejects them.

#include "ringkernel/elementwise.cuh"
#include "ringkernel/reduce.cuh"
#include "ringkernel/entries.cuh"

namespace rk {

__device__ inline void softmax_rows(const Call& call, Stride rows) {
    const TensorArg& x = call.inputs[0];
    float* y = call.outputs[0].data;
    i64 n = last_dim(x);
    i64 count = row_count(x);
    for (i64 row = rows.first; row < count; row += rows.step) {
        const float* in = x.data + row * n;
        float* out = y + row * n;
        SoftmaxState state = softmax_identity();
        for (i64 i = threadIdx.x; i < n; i += blockDim.x) {
            state = softmax_add(state, in[i]);
        }
        state = block_allreduce(state, SoftmaxMerge{});
        bool masked = state.sum == 0.0f;
        for (i64 i = threadIdx.x; i < n; i += blockDim.x) {
            out[i] = masked ? 0.0f : expf(in[i] - state.max) / state.sum;
        }
    }
}

struct SoftmaxOp {
    static __device__ bool accepts(const Call& call) { return elementwise_fits(call, 1, 0); }

    static __device__ void block(const Call& call) { softmax_rows(call, all_rows()); }

    static __device__ void grid(const Call& call, char*) { softmax_rows(call, grid_rows()); }
};

}  // namespace rk

RK_KERNEL_ENTRIES(softmax, rk::SoftmaxOp)
