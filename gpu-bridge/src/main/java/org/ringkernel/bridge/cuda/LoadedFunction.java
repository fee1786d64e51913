package org.ringkernel.bridge.cuda;

import jcuda.driver.CUfunction;

/**
 * A kernel entry the driver has loaded, with what the backend needs to know of it before launching, so that
 * nothing about it has to be asked of the driver once persistent kernels run.
 *
 * @param handle the driver's function
 * @param blocksPerMultiprocessor how many of its blocks of {@link CudaBackend#KERNEL_BLOCK} threads one
 *     multiprocessor keeps resident at once
 */
record LoadedFunction(CUfunction handle, int blocksPerMultiprocessor) {
}
