// stats: count, sum, mean, std, min, max over every element, in that order; params: ddof.
//
// Moments are accumulated in float64: each thread runs Welford's update over its elements, and the
// threads' (and, on the launch path, the blocks') moments are merged with Chan's formula in a fixed
// order. std = sqrt(M2 / (count - ddof)), 0 when count <= ddof.

#include "ringkernel/elementwise.cuh"
#include "ringkernel/reduce.cuh"
#include "ringkernel/entries.cuh"

namespace rk {

constexpr int kStatsValues = 6;

static_assert(sizeof(Moments) == kLaunchPartialLength, "a block's partial moments fill one launch scratch entry");

__device__ inline Moments accumulate(const TensorArg& x, Stride elements) {
    Moments m = moments_identity();
    for (i64 i = elements.first; i < x.count; i += elements.step) {
        m = moments_add(m, x.data[i]);
    }
    return m;
}

__device__ inline void write_stats(const Call& call, const Moments& m) {
    double ddof = call.params[0];
    double count = m.welford.count;
    float* out = call.outputs[0].data;
    out[0] = static_cast<float>(count);
    out[1] = static_cast<float>(m.sum);
    out[2] = static_cast<float>(m.welford.mean);
    out[3] = count > ddof ? static_cast<float>(sqrt(m.welford.m2 / (count - ddof))) : 0.0f;
    out[4] = m.min;
    out[5] = m.max;
}

__device__ inline void stats_block(const Call& call) {
    Moments m = block_allreduce(accumulate(call.inputs[0], block_elements()), MomentsMerge{});
    if (threadIdx.x == 0) {
        write_stats(call, m);
    }
}

// Each block leaves its moments in the scratch; the block that finishes last merges them in an order
// fixed by block index (so the result does not depend on which block was last) and rearms the counter
// for the next launch.
__device__ inline void stats_grid(const Call& call, char* scratch) {
    __shared__ bool last;
    Moments* partials = reinterpret_cast<Moments*>(scratch + kLaunchPartialsOffset);
    Moments mine = block_allreduce(accumulate(call.inputs[0], grid_elements()), MomentsMerge{});
    if (threadIdx.x == 0) {
        partials[blockIdx.x] = mine;
        // acq_rel: publishes this block's partial, and lets the last block see every other partial
        unsigned done = cuda::atomic_ref<unsigned, cuda::thread_scope_device>(*field<unsigned>(scratch, kLaunchFinishedOffset))
                            .fetch_add(1u, cuda::memory_order_acq_rel);
        last = done == gridDim.x - 1;
    }
    __syncthreads();
    if (!last) {
        return;
    }
    Moments total = moments_identity();
    for (unsigned b = threadIdx.x; b < gridDim.x; b += blockDim.x) {
        total = MomentsMerge{}(total, partials[b]);
    }
    total = block_allreduce(total, MomentsMerge{});
    if (threadIdx.x == 0) {
        write_stats(call, total);
        plain_store<unsigned>(scratch, kLaunchFinishedOffset, 0u);
    }
}

struct StatsOp {
    static __device__ bool accepts(const Call& call) {
        return has_counts(call, 1, 1, 1) && call.outputs[0].count == kStatsValues;
    }

    static __device__ void block(const Call& call) { stats_block(call); }

    static __device__ void grid(const Call& call, char* scratch) { stats_grid(call, scratch); }
};

}  // namespace rk

RK_KERNEL_ENTRIES(stats, rk::StatsOp)
