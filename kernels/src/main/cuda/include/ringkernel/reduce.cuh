// Reductions over a warp and over a block of kBlockThreads threads, and the running moments the
// statistics kernels merge.
//
// Every function here must be called by all threads of the block (or warp) from uniform control flow:
// the shuffles name the full warp and the block functions hold __syncthreads.

#ifndef RINGKERNEL_REDUCE_CUH
#define RINGKERNEL_REDUCE_CUH

#include <cuda/std/limits>

#include "ringkernel/call.cuh"

namespace rk {

__device__ __forceinline__ float shfl_xor(float value, int mask) {
    return __shfl_xor_sync(kFullWarp, value, mask);
}

__device__ __forceinline__ double shfl_xor(double value, int mask) {
    return __shfl_xor_sync(kFullWarp, value, mask);
}

struct Sum {
    template <class T>
    __device__ T operator()(T a, T b) const {
        return a + b;
    }
};

// Running max and sum of exp(x - max): the state of a one-pass, overflow-free softmax denominator.
struct SoftmaxState {
    float max;
    float sum;
};

__device__ __forceinline__ SoftmaxState softmax_identity() {
    return {-cuda::std::numeric_limits<float>::infinity(), 0.0f};
}

// Adds one value, rescaling the sum when the max moves so no exp() ever sees a positive argument. A -inf
// value is a masked logit and adds nothing (while the max is still -inf, exp(x - max) would be NaN).
__device__ __forceinline__ SoftmaxState softmax_add(SoftmaxState s, float x) {
    if (x == -cuda::std::numeric_limits<float>::infinity()) {
        return s;
    }
    if (x > s.max) {
        return {x, s.sum * expf(s.max - x) + 1.0f};
    }
    return {s.max, s.sum + expf(x - s.max)};
}

struct SoftmaxMerge {
    __device__ SoftmaxState operator()(SoftmaxState a, SoftmaxState b) const {
        float max = fmaxf(a.max, b.max);
        if (max == -cuda::std::numeric_limits<float>::infinity()) {
            return a;  // both empty: exp(-inf - -inf) would be NaN
        }
        return {max, a.sum * expf(a.max - max) + b.sum * expf(b.max - max)};
    }
};

__device__ __forceinline__ SoftmaxState shfl_xor(SoftmaxState s, int mask) {
    return {shfl_xor(s.max, mask), shfl_xor(s.sum, mask)};
}

// Welford's running count, mean and sum of squared deviations, in float64.
struct Welford {
    double count;
    double mean;
    double m2;
};

__device__ __forceinline__ Welford welford_add(Welford w, double x) {
    double count = w.count + 1.0;
    double delta = x - w.mean;
    double mean = w.mean + delta / count;
    return {count, mean, w.m2 + delta * (x - mean)};
}

// Chan et al.'s pairwise merge; exact in exact arithmetic and stable for parts of similar size.
__device__ __forceinline__ Welford welford_merge(Welford a, Welford b) {
    if (a.count == 0.0) {
        return b;
    }
    if (b.count == 0.0) {
        return a;
    }
    double count = a.count + b.count;
    double delta = b.mean - a.mean;
    return {count, a.mean + delta * (b.count / count), a.m2 + b.m2 + delta * delta * (a.count * b.count / count)};
}

struct WelfordMerge {
    __device__ Welford operator()(Welford a, Welford b) const { return welford_merge(a, b); }
};

__device__ __forceinline__ Welford shfl_xor(Welford w, int mask) {
    return {shfl_xor(w.count, mask), shfl_xor(w.mean, mask), shfl_xor(w.m2, mask)};
}

// Everything the stats kernel reports, before the final division.
struct Moments {
    Welford welford;
    double sum;
    float min;
    float max;
};

__device__ __forceinline__ Moments moments_identity() {
    return {{0.0, 0.0, 0.0}, 0.0, cuda::std::numeric_limits<float>::infinity(),
            -cuda::std::numeric_limits<float>::infinity()};
}

__device__ __forceinline__ Moments moments_add(Moments m, float x) {
    return {welford_add(m.welford, x), m.sum + x, fminf(m.min, x), fmaxf(m.max, x)};
}

struct MomentsMerge {
    __device__ Moments operator()(Moments a, Moments b) const {
        return {welford_merge(a.welford, b.welford), a.sum + b.sum, fminf(a.min, b.min), fmaxf(a.max, b.max)};
    }
};

__device__ __forceinline__ Moments shfl_xor(Moments m, int mask) {
    return {shfl_xor(m.welford, mask), shfl_xor(m.sum, mask), shfl_xor(m.min, mask), shfl_xor(m.max, mask)};
}

// Combines the values of a warp; every lane gets the result.
template <class T, class Merge>
__device__ __forceinline__ T warp_allreduce(T value, Merge merge) {
    for (int mask = kWarpThreads / 2; mask > 0; mask >>= 1) {
        value = merge(value, shfl_xor(value, mask));
    }
    return value;
}

// Combines one value per warp (every lane of a warp holds its warp's value) into one result that
// every thread gets. The warps' values are merged in warp order, so all threads compute the same bits.
template <class T, class Merge>
__device__ __forceinline__ T block_merge_warps(T warp_value, Merge merge) {
    __shared__ T slots[kWarps];
    if (threadIdx.x % kWarpThreads == 0) {
        slots[threadIdx.x / kWarpThreads] = warp_value;
    }
    __syncthreads();
    T result = slots[0];
    for (int w = 1; w < kWarps; ++w) {
        result = merge(result, slots[w]);
    }
    __syncthreads();  // the slots are reused by the next call
    return result;
}

// Combines one value per thread of the block; every thread gets the result.
template <class T, class Merge>
__device__ __forceinline__ T block_allreduce(T value, Merge merge) {
    return block_merge_warps(warp_allreduce(value, merge), merge);
}

}  // namespace rk

#endif  // RINGKERNEL_REDUCE_CUH
