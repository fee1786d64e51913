// noop: an empty kernel, the baseline of one launch and synchronize in the GPU check (it is not a
// kernel of the library and has no ring entry).

extern "C" __global__ void rk_noop() {}
