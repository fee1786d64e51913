// square: y = x * x.

#include "ringkernel/elementwise.cuh"
#include "ringkernel/launch.cuh"
#include "ringkernel/ring_loop.cuh"

namespace rk {

struct Squared {
    __device__ float operator()(float x) const { return x * x; }
};

struct SquareOp {
    static __device__ bool accepts(const Call& call) { return elementwise_fits(call, 1, 0); }

    static __device__ void block(const Call& call) { map_unary(call, block_elements(), Squared{}); }

    static __device__ void grid(const Call& call, char*) { map_unary(call, grid_elements(), Squared{}); }
};

}  // namespace rk

extern "C" __global__ void __launch_bounds__(rk::kBlockThreads) rk_square_ring(const __grid_constant__ rk::RingParams params) {
    rk::ring_loop<rk::SquareOp>(params);
}

extern "C" __global__ void __launch_bounds__(rk::kBlockThreads) rk_square_launch(const __grid_constant__ rk::LaunchArgs args) {
    rk::launch_entry<rk::SquareOp>(args);
}
