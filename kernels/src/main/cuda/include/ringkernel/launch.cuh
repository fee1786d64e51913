// The launch path: one request computed by an ordinary launch over the whole grid.
//
// Heavy or large requests skip the ring and run as `rk_<id>_launch(LaunchArgs)` on a stream, with
// inputs and outputs in device buffers. Launch with blocks of kBlockThreads (256) threads in x and a
// one-dimensional grid of any size; the kernels stride over their work, so the grid size only
// changes speed.
//
// LaunchArgs, passed by value (216 bytes, 8-byte aligned):
//
//   offset  size  field
//        0   208  call     the request (call.cuh draws its layout); pointers are device addresses
//      208     8  scratch  device memory the launch may use: at least 256 + 40 * gridDim.x bytes,
//                          128-byte aligned, zeroed once when allocated. Launches that share a
//                          scratch must be ordered (the same stream): the stats kernel counts the
//                          blocks that finished in it and leaves the count at zero again.
//
// Scratch layout:
//
//   offset            size  field
//        0               4  status (i32): RK_STATUS_OK, RK_STATUS_INVALID_DESCRIPTOR when the call's
//                           counts or shapes do not fit the kernel (nothing was computed), or
//                           RK_STATUS_KERNEL_ERROR when the launch configuration is not the one above
//      128               4  blocks finished (u32), the stats kernel's last-block-done counter
//      256  40 * gridDim.x  per-block partial moments of the stats kernel (count, mean, m2, sum as
//                           f64, then min, max as f32)
//
// Block 0's thread 0 writes the status; the host reads it once the launch has completed.

#ifndef RINGKERNEL_LAUNCH_CUH
#define RINGKERNEL_LAUNCH_CUH

#include "ringkernel/call.cuh"

namespace rk {

struct LaunchArgs {
    Call call;
    char* scratch;
};

static_assert(offsetof(LaunchArgs, scratch) == 208 && sizeof(LaunchArgs) == 216, "LaunchArgs layout");

constexpr i64 kLaunchStatusOffset = 0;
constexpr i64 kLaunchFinishedOffset = 128;
constexpr i64 kLaunchPartialsOffset = 256;
constexpr i64 kLaunchPartialLength = 40;

// Whether every pointer the kernel will touch is set: a launch has no arena to bound-check against.
__device__ __forceinline__ bool pointers_present(const Call& call) {
    for (int i = 0; i < call.input_count; ++i) {
        if (call.inputs[i].data == nullptr) {
            return false;
        }
    }
    for (int o = 0; o < call.output_count; ++o) {
        if (call.outputs[o].count > 0 && call.outputs[o].data == nullptr) {
            return false;
        }
    }
    return true;
}

// The body of every rk_<id>_launch: every block checks the call itself (no block waits for another),
// block 0 reports the verdict, and a call that does not fit computes nothing.
template <class Op>
__device__ __forceinline__ void launch_entry(const LaunchArgs& args) {
    int status = RK_STATUS_OK;
    if (!launch_shape_is_supported()) {
        status = RK_STATUS_KERNEL_ERROR;
    } else if (!tensors_well_formed(args.call) || !pointers_present(args.call) || !Op::accepts(args.call)) {
        status = RK_STATUS_INVALID_DESCRIPTOR;
    }
    if (blockIdx.x == 0 && threadIdx.x == 0 && blockIdx.y == 0 && blockIdx.z == 0 && threadIdx.y == 0
        && threadIdx.z == 0) {
        plain_store<i32>(args.scratch, kLaunchStatusOffset, status);
    }
    if (status != RK_STATUS_OK) {
        return;
    }
    Op::grid(args.call, args.scratch);
}

}  // namespace rk

#endif  // RINGKERNEL_LAUNCH_CUH
