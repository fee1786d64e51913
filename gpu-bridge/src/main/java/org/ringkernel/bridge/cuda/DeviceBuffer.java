package org.ringkernel.bridge.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * A range of device memory handed out by the {@link DeviceMemoryPool}.
 *
 * @param pointer the driver's pointer to its first byte
 * @param address the same, as a number for kernel parameters
 * @param length its length in bytes
 * @param pooled whether it is a piece of the pool (else an allocation of its own)
 */
record DeviceBuffer(CUdeviceptr pointer, long address, long length, boolean pooled) {

    /** The driver's pointer {@code offset} bytes in. */
    CUdeviceptr at(long offset) {
        return pointer.withByteOffset(offset);
    }
}
