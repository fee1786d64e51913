// normalize: each row divided by its L2 norm, x / max(||row||2, eps); params: eps.
//
// The sum of squares is accumulated in float64: squares of large float32 values overflow float32 long
// before their norm does.

#include "ringkernel/elementwise.cuh"
#include "ringkernel/reduce.cuh"
#include "ringkernel/entries.cuh"

namespace rk {

// Every thread of the block takes part in each row, so the reduction's barriers are uniform.
__device__ inline void normalize_rows(const Call& call, Stride rows) {
    const TensorArg& x = call.inputs[0];
    float* y = call.outputs[0].data;
    i64 n = last_dim(x);
    double eps = call.params[0];
    i64 count = row_count(x);
    for (i64 row = rows.first; row < count; row += rows.step) {
        const float* in = x.data + row * n;
        float* out = y + row * n;
        double squares = 0.0;
        for (i64 i = threadIdx.x; i < n; i += blockDim.x) {
            double v = in[i];
            squares += v * v;
        }
        double norm = sqrt(block_allreduce(squares, Sum{}));
        double divisor = fmax(norm, eps);
        for (i64 i = threadIdx.x; i < n; i += blockDim.x) {
            out[i] = static_cast<float>(in[i] / divisor);
        }
    }
}

struct NormalizeOp {
    static __device__ bool accepts(const Call& call) { return elementwise_fits(call, 1, 1); }

    static __device__ void block(const Call& call) { normalize_rows(call, all_rows()); }

    static __device__ void grid(const Call& call, char*) { normalize_rows(call, grid_rows()); }
};

}  // namespace rk

RK_KERNEL_ENTRIES(normalize, rk::NormalizeOp)
