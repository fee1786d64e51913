// The two extern "C" entry points every kernel exports, named as KernelDefinition's CudaEntry expects:
// rk_<id>_ring runs the persistent loop over Op, rk_<id>_launch computes one request with the whole grid.

#ifndef RINGKERNEL_ENTRIES_CUH
#define RINGKERNEL_ENTRIES_CUH

#include "ringkernel/launch.cuh"
#include "ringkernel/ring_loop.cuh"

#define RK_KERNEL_ENTRIES(id, Op)                                                                       \
    extern "C" __global__ void __launch_bounds__(rk::kBlockThreads)                                  \
        rk_##id##_ring(const __grid_constant__ rk::RingParams params) {                                 \
        rk::ring_loop<Op>(params);                                                                      \
    }                                                                                                   \
    extern "C" __global__ void __launch_bounds__(rk::kBlockThreads)                                  \
        rk_##id##_launch(const __grid_constant__ rk::LaunchArgs args) {                                 \
        rk::launch_entry<Op>(args);                                                                     \
    }

#endif
