package org.ringkernel.bridge.cuda;

import static jcuda.driver.CUdevice_attribute.*;
import static org.ringkernel.bridge.cuda.CudaException.check;

import java.nio.charset.StandardCharsets;
import jcuda.driver.CUdevice;

/**
 * One CUDA device as the driver describes it.
 *
 * @param ordinal the device number ({@code ringkernel.device-id})
 * @param handle the driver's handle
 * @param name the product name, e.g. {@code NVIDIA H200}
 * @param major compute capability, major
 * @param minor compute capability, minor
 * @param multiprocessors streaming multiprocessors
 * @param canMapHostMemory whether kernels can address mapped host memory, which the rings need
 * @param totalMemory bytes of device memory
 * @param driverVersion the CUDA version the driver implements, as {@code cuDriverGetVersion} gives it
 *     ({@code 13000} for 13.0)
 */
record CudaDevice(int ordinal, CUdevice handle, String name, int major, int minor, int multiprocessors,
                  boolean canMapHostMemory, long totalMemory, int driverVersion) {

    /** The oldest compute capability the shipped image runs on (its PTX targets compute_75). */
    static final int MIN_CAPABILITY = 75;

    /**
     * Initializes the driver and describes device {@code ordinal}.
     *
     * @throws CudaException when the driver fails or there is no such device
     */
    static CudaDevice open(CudaDriver driver, int ordinal) {
        check(driver.cuInit(0), "cuInit");
        int[] version = new int[1];
        check(driver.cuDriverGetVersion(version), "cuDriverGetVersion");
        int[] count = new int[1];
        check(driver.cuDeviceGetCount(count), "cuDeviceGetCount");
        if (ordinal >= count[0]) {
            throw new IllegalArgumentException("ringkernel.device-id is " + ordinal + " but the driver reports "
                    + count[0] + " CUDA devices");
        }
        CUdevice device = new CUdevice();
        check(driver.cuDeviceGet(device, ordinal), "cuDeviceGet(" + ordinal + ")");
        byte[] name = new byte[256];
        check(driver.cuDeviceGetName(name, name.length, device), "cuDeviceGetName");
        long[] memory = new long[1];
        check(driver.cuDeviceTotalMem(memory, device), "cuDeviceTotalMem");
        return new CudaDevice(ordinal, device, cString(name),
                attribute(driver, device, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                attribute(driver, device, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR),
                attribute(driver, device, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT),
                attribute(driver, device, CU_DEVICE_ATTRIBUTE_CAN_MAP_HOST_MEMORY) != 0, memory[0], version[0]);
    }

    private static int attribute(CudaDriver driver, CUdevice device, int attribute) {
        int[] value = new int[1];
        check(driver.cuDeviceGetAttribute(value, attribute, device), "cuDeviceGetAttribute(" + attribute + ")");
        return value[0];
    }

    private static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.US_ASCII);
    }

    /** Compute capability as one number, e.g. 90 for 9.0. */
    int capability() {
        return major * 10 + minor;
    }

    /** A CUDA version number as the driver gives it, in words: {@code 13000} is {@code 13.0}. */
    static String cudaVersion(int version) {
        return version / 1000 + "." + version % 1000 / 10;
    }

    /** Why the backend cannot run on this device, or null when it can. */
    String unsuitability() {
        if (capability() < MIN_CAPABILITY) {
            return describe() + " has compute capability " + major + "." + minor + "; the kernels need 7.5 or newer";
        }
        if (!canMapHostMemory) {
            return describe() + " cannot map host memory, which the rings live in";
        }
        return null;
    }

    String describe() {
        return "CUDA device " + ordinal + " (" + name + ")";
    }

    @Override
    public String toString() {
        return "cuda: " + name + ", device " + ordinal + ", compute " + major + "." + minor + ", " + multiprocessors
                + " SMs, " + (totalMemory >> 20) + " MiB, driver CUDA " + cudaVersion(driverVersion);
    }
}
