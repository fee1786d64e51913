// add: y = a + b for a and b of one shape.

#include "ringkernel/elementwise.cuh"
#include "ringkernel/launch.cuh"
#include "ringkernel/ring_loop.cuh"

namespace rk {

struct Plus {
    __device__ float operator()(float a, float b) const { return a + b; }
};

struct AddOp {
    static __device__ bool accepts(const Call& call) { return elementwise_fits(call, 2, 0); }

    static __device__ void block(const Call& call) { map_binary(call, block_elements(), Plus{}); }

    static __device__ void grid(const Call& call, char*) { map_binary(call, grid_elements(), Plus{}); }
};

}  // namespace rk

extern "C" __global__ void __launch_bounds__(rk::kBlockThreads) rk_add_ring(const __grid_constant__ rk::RingParams params) {
    rk::ring_loop<rk::AddOp>(params);
}

extern "C" __global__ void __launch_bounds__(rk::kBlockThreads) rk_add_launch(const __grid_constant__ rk::LaunchArgs args) {
    rk::launch_entry<rk::AddOp>(args);
}
