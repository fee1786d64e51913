// The one translation unit of the shipped image: every built-in kernel in one module, so the host
// loads a single fatbin and finds each kernel by its entry names rk_<id>_ring and rk_<id>_launch.
// Each included file also compiles on its own.

#include "kernels/echo.cu"
#include "kernels/square.cu"
#include "kernels/add.cu"
#include "kernels/saxpy.cu"
#include "kernels/normalize.cu"
#include "kernels/stats.cu"
#include "kernels/matmul.cu"
#include "kernels/softmax.cu"
#include "kernels/layer_norm.cu"
#include "kernels/attention.cu"
#include "kernels/noop.cu"
