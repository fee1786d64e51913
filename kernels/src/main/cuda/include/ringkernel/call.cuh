// One request as a kernel's code sees it, whichever path brought it.
//
// The ring loop decodes a request record into a Call whose pointers point into the arena; the launch
// path receives a Call by value inside LaunchArgs (launch.cuh) whose pointers point into device
// buffers. Each kernel's code reads only a Call, so both paths run the same arithmetic.
//
// Call, as laid out in memory (host code that fills LaunchArgs mirrors these offsets; 8-byte aligned,
// little-endian, every pointer a device address of float32 data):
//
//   offset  size  field
//        0   128  inputs[4]   TensorArg: +0 data (pointer), +8 count (i32), +12 rank (i32),
//                             +16 dims (i32[4], unused dims zero)
//      128    32  outputs[2]  OutputArg: +0 data (pointer), +8 count (i32), +12 reserved (i32)
//      160    32  params      f32[8], in the order of the kernel's signature
//      192     4  input_count
//      196     4  output_count
//      200     4  param_count
//      204     4  reserved
//      208        = sizeof(Call)
//
// Every kernel runs with blocks of kBlockThreads threads (x only) and a one-dimensional grid; the
// block-level code (shared-memory tiles, reductions over eight warps) is written for exactly that.

#ifndef RINGKERNEL_CALL_CUH
#define RINGKERNEL_CALL_CUH

#include <cstddef>

#include "ringkernel/ring_protocol.cuh"

namespace rk {

constexpr int kBlockThreads = 256;
constexpr int kWarpThreads = 32;
constexpr int kWarps = kBlockThreads / kWarpThreads;
constexpr unsigned kFullWarp = 0xffffffffu;

struct TensorArg {
    float* data;
    i32 count;
    i32 rank;
    i32 dims[RK_REQ_MAX_RANK];
};

struct OutputArg {
    float* data;
    i32 count;
    i32 reserved;
};

struct Call {
    TensorArg inputs[RK_REQ_MAX_INPUTS];
    OutputArg outputs[RK_REQ_MAX_OUTPUTS];
    float params[RK_REQ_MAX_PARAMS];
    i32 input_count;
    i32 output_count;
    i32 param_count;
    i32 reserved;
};

static_assert(sizeof(TensorArg) == RK_REQ_INPUT_LENGTH, "a tensor argument is as long as a record's input entry");
static_assert(sizeof(OutputArg) == RK_REQ_OUTPUT_LENGTH, "an output argument is as long as a record's output entry");
static_assert(offsetof(Call, outputs) == 128, "Call layout: outputs");
static_assert(offsetof(Call, params) == 160, "Call layout: params");
static_assert(offsetof(Call, input_count) == 192, "Call layout: counts");
static_assert(sizeof(Call) == 208, "Call layout: length");

// Whether the running launch has the block and grid shape every kernel is written for.
__device__ __forceinline__ bool launch_shape_is_supported() {
    return blockDim.x == kBlockThreads && blockDim.y == 1 && blockDim.z == 1 && gridDim.y == 1 && gridDim.z == 1;
}

// Whether the call carries exactly these counts of inputs, outputs and params; the host resolves every
// param of the signature, so a different param count means the host and the kernel disagree.
__device__ __forceinline__ bool has_counts(const Call& call, int inputs, int outputs, int params) {
    return call.input_count == inputs && call.output_count == outputs && call.param_count == params;
}

__device__ __forceinline__ bool same_shape(const TensorArg& a, const TensorArg& b) {
    if (a.rank != b.rank) {
        return false;
    }
    for (int d = 0; d < a.rank; ++d) {
        if (a.dims[d] != b.dims[d]) {
            return false;
        }
    }
    return true;
}

__device__ __forceinline__ int last_dim(const TensorArg& t) {
    return t.dims[t.rank - 1];
}

__device__ __forceinline__ bool is_matrix(const TensorArg& t) {
    return t.rank == 2;
}

// The per-request checks of RequestDescriptor.violation that do not depend on the arena: counts within
// the record's limits, ranks within [1, MAX_RANK], dims at least 1, and element counts equal to the
// product of the dims. The ring loop adds the arena extent checks; kernels add their shape rules.
__device__ __forceinline__ bool tensors_well_formed(const Call& call) {
    if (call.input_count < 0 || call.input_count > RK_REQ_MAX_INPUTS || call.output_count < 0
        || call.output_count > RK_REQ_MAX_OUTPUTS || call.param_count < 0 || call.param_count > RK_REQ_MAX_PARAMS) {
        return false;
    }
    for (int i = 0; i < call.input_count; ++i) {
        const TensorArg& t = call.inputs[i];
        if (t.rank < 1 || t.rank > RK_REQ_MAX_RANK) {
            return false;
        }
        i64 product = 1;
        for (int d = 0; d < t.rank; ++d) {
            if (t.dims[d] < 1) {
                return false;
            }
            product *= t.dims[d];
            if (product > 0x7fffffff) {
                return false;
            }
        }
        if (product != t.count) {
            return false;
        }
    }
    for (int o = 0; o < call.output_count; ++o) {
        if (call.outputs[o].count < 0) {
            return false;
        }
    }
    return true;
}

}  // namespace rk

#endif  // RINGKERNEL_CALL_CUH
