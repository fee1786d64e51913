package org.ringkernel.bridge.cuda;

import static org.ringkernel.bridge.cuda.CudaException.check;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUpointer_attribute;
import jcuda.driver.JCudaDriver;

/** Numeric device addresses, which kernel parameters carry as plain 64-bit values. */
public final class DevicePointers {

    private DevicePointers() {
    }

    /** The device address {@code pointer} stands for. */
    public static long address(CUdeviceptr pointer) {
        long[] address = new long[1];
        check(JCudaDriver.cuPointerGetAttribute(Pointer.to(address),
                CUpointer_attribute.CU_POINTER_ATTRIBUTE_DEVICE_POINTER, pointer), "cuPointerGetAttribute");
        return address[0];
    }
}
