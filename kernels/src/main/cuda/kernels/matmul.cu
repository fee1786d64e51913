// matmul: c = a . b for a [m, k] and b [k, n], giving [m, n].
//
// Tiled in shared memory: a block computes a 64 x 64 tile of c, each thread a 4 x 4 patch of it, while
// 16-wide slices of a and b pass through shared memory. The ring path walks every tile with one block;
// the launch path hands tiles to blocks in turn.

#include "ringkernel/elementwise.cuh"
#include "ringkernel/entries.cuh"

namespace rk {

constexpr int kTile = 64;
constexpr int kSlice = 16;
constexpr int kPatch = 4;
constexpr int kPatchStride = kTile / kPatch;  // threads along one side of the tile

static_assert(kPatchStride * kPatchStride == kBlockThreads, "one thread per 4 x 4 patch");
static_assert(kTile * kSlice % kBlockThreads == 0, "the slices load in whole rounds");

struct MatmulShape {
    i64 m;
    i64 k;
    i64 n;
};

// Computes the tile at (tile_row, tile_col). Thread (ty, tx) owns rows ty + 16 i and columns tx + 16 j,
// so a warp reads consecutive columns of the b slice and few distinct rows of the a slice.
__device__ inline void matmul_tile(const float* a, const float* b, float* c, MatmulShape s, i64 tile_row, i64 tile_col) {
    // a is stored transposed so the inner loop reads both slices along their rows; +1 spreads the banks
    __shared__ float a_slice[kSlice][kTile + 1];
    __shared__ float b_slice[kSlice][kTile];
    const int tx = threadIdx.x % kPatchStride;
    const int ty = threadIdx.x / kPatchStride;
    const i64 row0 = tile_row * kTile;
    const i64 col0 = tile_col * kTile;
    float acc[kPatch][kPatch] = {};
    for (i64 k0 = 0; k0 < s.k; k0 += kSlice) {
        for (int e = threadIdx.x; e < kTile * kSlice; e += kBlockThreads) {
            int r = e / kSlice;
            int kk = e % kSlice;
            i64 row = row0 + r;
            i64 col = k0 + kk;
            a_slice[kk][r] = row < s.m && col < s.k ? a[row * s.k + col] : 0.0f;
        }
        for (int e = threadIdx.x; e < kTile * kSlice; e += kBlockThreads) {
            int kk = e / kTile;
            int cc = e % kTile;
            i64 row = k0 + kk;
            i64 col = col0 + cc;
            b_slice[kk][cc] = row < s.k && col < s.n ? b[row * s.n + col] : 0.0f;
        }
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < kSlice; ++kk) {
            float a_frag[kPatch];
            float b_frag[kPatch];
#pragma unroll
            for (int i = 0; i < kPatch; ++i) {
                a_frag[i] = a_slice[kk][ty + i * kPatchStride];
                b_frag[i] = b_slice[kk][tx + i * kPatchStride];
            }
#pragma unroll
            for (int i = 0; i < kPatch; ++i) {
#pragma unroll
                for (int j = 0; j < kPatch; ++j) {
                    acc[i][j] = fmaf(a_frag[i], b_frag[j], acc[i][j]);
                }
            }
        }
        __syncthreads();  // the slices are refilled next round
    }
#pragma unroll
    for (int i = 0; i < kPatch; ++i) {
#pragma unroll
        for (int j = 0; j < kPatch; ++j) {
            i64 row = row0 + ty + i * kPatchStride;
            i64 col = col0 + tx + j * kPatchStride;
            if (row < s.m && col < s.n) {
                c[row * s.n + col] = acc[i][j];
            }
        }
    }
}

__device__ inline void matmul_tiles(const Call& call, Stride tiles) {
    MatmulShape s{call.inputs[0].dims[0], call.inputs[0].dims[1], call.inputs[1].dims[1]};
    i64 tile_cols = (s.n + kTile - 1) / kTile;
    i64 tile_count = (s.m + kTile - 1) / kTile * tile_cols;
    for (i64 t = tiles.first; t < tile_count; t += tiles.step) {
        matmul_tile(call.inputs[0].data, call.inputs[1].data, call.outputs[0].data, s, t / tile_cols, t % tile_cols);
    }
}

struct MatmulOp {
    static __device__ bool accepts(const Call& call) {
        const TensorArg& a = call.inputs[0];
        const TensorArg& b = call.inputs[1];
        return has_counts(call, 2, 1, 0) && is_matrix(a) && is_matrix(b) && a.dims[1] == b.dims[0]
               && static_cast<i64>(call.outputs[0].count) == static_cast<i64>(a.dims[0]) * b.dims[1];
    }

    static __device__ void block(const Call& call) { matmul_tiles(call, Stride{0, 1}); }

    static __device__ void grid(const Call& call, char*) { matmul_tiles(call, Stride{blockIdx.x, gridDim.x}); }
};

}  // namespace rk

RK_KERNEL_ENTRIES(matmul, rk::MatmulOp)
