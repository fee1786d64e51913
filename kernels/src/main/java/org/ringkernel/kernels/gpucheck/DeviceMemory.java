package org.ringkernel.kernels.gpucheck;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;
import org.ringkernel.bridge.cuda.DevicePointers;

/** Device memory from {@code cuMemAlloc}, zeroed, with its address as a number for kernel arguments. */
final class DeviceMemory implements AutoCloseable {
    private final CUdeviceptr pointer = new CUdeviceptr();
    private final long address;

    /** Allocates and zeroes {@code bytes}; the primary context must be current. */
    DeviceMemory(long bytes) {
        RawDriver.check(JCudaDriver.cuMemAlloc(pointer, bytes), "cuMemAlloc(" + bytes + " bytes)");
        RawDriver.check(JCudaDriver.cuMemsetD8(pointer, (byte) 0, bytes), "cuMemsetD8(" + bytes + " bytes)");
        address = DevicePointers.address(pointer);
    }

    /** The driver's pointer {@code offset} bytes in. */
    CUdeviceptr at(long offset) {
        return pointer.withByteOffset(offset);
    }

    /** The device address of the first byte. */
    long address() {
        return address;
    }

    @Override
    public void close() {
        RawDriver.check(JCudaDriver.cuMemFree(pointer), "cuMemFree");
    }
}
