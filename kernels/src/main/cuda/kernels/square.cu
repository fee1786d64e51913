// square: y = x * x.

#include "ringkernel/elementwise.cuh"
#include "ringkernel/entries.cuh"

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

RK_KERNEL_ENTRIES(square, rk::SquareOp)
