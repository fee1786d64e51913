// Loops shared by the element-wise and row-wise kernels.
//
// The ring path computes a request with one block, the launch path with the whole grid; both call the
// same loop with a different start and stride: (threadIdx.x, blockDim.x) or (global thread, all
// threads) for elements, (0, 1) or (blockIdx.x, gridDim.x) for rows a block takes in turn.

#ifndef RINGKERNEL_ELEMENTWISE_CUH
#define RINGKERNEL_ELEMENTWISE_CUH

#include "ringkernel/call.cuh"

namespace rk {

// Where one thread starts and how far it steps through a run of elements or rows.
struct Stride {
    i64 first;
    i64 step;
};

__device__ __forceinline__ Stride block_elements() {
    return {threadIdx.x, blockDim.x};
}

__device__ __forceinline__ Stride grid_elements() {
    return {static_cast<i64>(blockIdx.x) * blockDim.x + threadIdx.x, static_cast<i64>(gridDim.x) * blockDim.x};
}

__device__ __forceinline__ Stride all_rows() {
    return {0, 1};
}

__device__ __forceinline__ Stride grid_rows() {
    return {blockIdx.x, gridDim.x};
}

template <class F>
__device__ __forceinline__ void map_unary(const Call& call, Stride s, F f) {
    const float* x = call.inputs[0].data;
    float* y = call.outputs[0].data;
    i64 n = call.inputs[0].count;
    for (i64 i = s.first; i < n; i += s.step) {
        y[i] = f(x[i]);
    }
}

template <class F>
__device__ __forceinline__ void map_binary(const Call& call, Stride s, F f) {
    const float* a = call.inputs[0].data;
    const float* b = call.inputs[1].data;
    float* y = call.outputs[0].data;
    i64 n = call.inputs[0].count;
    for (i64 i = s.first; i < n; i += s.step) {
        y[i] = f(a[i], b[i]);
    }
}

// The count rule of element-wise kernels: `inputs` inputs of the first one's shape, one output as long.
__device__ __forceinline__ bool elementwise_fits(const Call& call, int inputs, int params) {
    if (!has_counts(call, inputs, 1, params) || call.outputs[0].count != call.inputs[0].count) {
        return false;
    }
    for (int i = 1; i < inputs; ++i) {
        if (!same_shape(call.inputs[i], call.inputs[0])) {
            return false;
        }
    }
    return true;
}

// Rows of a tensor: its slices along the last axis.
__device__ __forceinline__ i64 row_count(const TensorArg& x) {
    return x.count / last_dim(x);
}

}  // namespace rk

#endif  // RINGKERNEL_ELEMENTWISE_CUH
