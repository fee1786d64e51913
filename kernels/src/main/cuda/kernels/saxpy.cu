// saxpy: out = alpha * x + y for x and y of one shape; params: alpha.

#include "ringkernel/elementwise.cuh"
#include "ringkernel/entries.cuh"

namespace rk {

struct AlphaXPlusY {
    float alpha;

    __device__ float operator()(float x, float y) const { return fmaf(alpha, x, y); }
};

struct SaxpyOp {
    static __device__ bool accepts(const Call& call) { return elementwise_fits(call, 2, 1); }

    static __device__ void block(const Call& call) { map_binary(call, block_elements(), AlphaXPlusY{call.params[0]}); }

    static __device__ void grid(const Call& call, char*) { map_binary(call, grid_elements(), AlphaXPlusY{call.params[0]}); }
};

}  // namespace rk

RK_KERNEL_ENTRIES(saxpy, rk::SaxpyOp)
