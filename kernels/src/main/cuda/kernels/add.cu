// add: y = a + b for a and b of one shape.

#include "ringkernel/elementwise.cuh"
#include "ringkernel/entries.cuh"

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

RK_KERNEL_ENTRIES(add, rk::AddOp)
