package org.ringkernel.bridge.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * A range of device memory handed out by the {@link DeviceMemoryPool}.
 *
 * @param pointer the driver's pointer to its first byte
 * @param address the same, as a number for kernel parameters
 * @param length its length in bytes
 */
record DeviceBuffer(CUdeviceptr pointer, long address, long length) {

    /** The driver's pointer {@code offset} bytes in. */
    CUdeviceptr at(long offset) {
        return pointer.withByteOffset(offset);
    }
}
