package org.ringkernel.bridge.cuda;

import static org.ringkernel.bridge.cuda.CudaException.check;

import jcuda.driver.CUdeviceptr;

/** Numeric device addresses, which kernel parameters carry as plain 64-bit values. */
public final class DevicePointers {

    private DevicePointers() {
    }

    /** The device address {@code pointer} stands for. */
    public static long address(CUdeviceptr pointer) {
        return address(new NativeCudaDriver(), pointer);
    }

    /** The device address {@code pointer} stands for, as {@code driver} tells. */
    static long address(CudaDriver driver, CUdeviceptr pointer) {
        long[] address = new long[1];
        check(driver.devicePointerAddress(address, pointer), "cuPointerGetAttribute");
        return address[0];
    }
}
