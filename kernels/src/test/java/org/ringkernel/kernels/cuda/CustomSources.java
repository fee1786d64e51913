package org.ringkernel.kernels.cuda;

/** CUDA sources of custom kernels, as users write them, for the tests of the NVRTC path. */
public final class CustomSources {
    /** A custom kernel as a user writes it, after the built-in square's pattern. */
    public static final String CUBE = """
            #include "ringkernel/elementwise.cuh"
            #include "ringkernel/entries.cuh"

            namespace custom {
            struct Cubed {
                __device__ float operator()(float x) const { return x * x * x; }
            };
            struct CubeOp {
                static __device__ bool accepts(const rk::Call& call) { return rk::elementwise_fits(call, 1, 0); }
                static __device__ void block(const rk::Call& call) { rk::map_unary(call, rk::block_elements(), Cubed{}); }
                static __device__ void grid(const rk::Call& call, char*) { rk::map_unary(call, rk::grid_elements(), Cubed{}); }
            };
            }  // namespace custom

            RK_KERNEL_ENTRIES(custom_cube, custom::CubeOp)
            """;

    private CustomSources() {
    }
}
