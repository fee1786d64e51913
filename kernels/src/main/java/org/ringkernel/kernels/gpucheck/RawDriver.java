package org.ringkernel.kernels.gpucheck;

import java.nio.charset.StandardCharsets;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;
import org.ringkernel.bridge.cuda.CudaException;
import org.ringkernel.kernels.cuda.KernelImage;

/**
 * The baselines' own use of the CUDA driver API, apart from the backend: what a program without RingKernel
 * would write. It retains the device's primary context (the one the backend retains, so both sides share a
 * context and the device's clocks), loads the shipped image as a module of its own and creates a
 * non-blocking stream. Every driver call's result is checked, and a failure names the call.
 */
final class RawDriver implements AutoCloseable {
    private final CUdevice device;
    private final CUcontext context = new CUcontext();
    private final CUmodule module = new CUmodule();
    private final CUstream stream = new CUstream();
    private final int driverVersion;
    private final String deviceName;

    private RawDriver(CUdevice device, int driverVersion, String deviceName) {
        this.device = device;
        this.driverVersion = driverVersion;
        this.deviceName = deviceName;
        check(JCudaDriver.cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
        try {
            enter();
            check(JCudaDriver.cuModuleLoadData(module, KernelImage.load().fatbin()),
                    "cuModuleLoadData(ringkernels.fatbin)");
            check(JCudaDriver.cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING), "cuStreamCreate");
        } catch (RuntimeException e) {
            JCudaDriver.cuDevicePrimaryCtxRelease(device);
            throw e;
        }
    }

    /** Opens device {@code ordinal} on the calling thread, which the context stays current on. */
    static RawDriver open(int ordinal) {
        check(JCudaDriver.cuInit(0), "cuInit");
        int[] version = new int[1];
        check(JCudaDriver.cuDriverGetVersion(version), "cuDriverGetVersion");
        CUdevice device = new CUdevice();
        check(JCudaDriver.cuDeviceGet(device, ordinal), "cuDeviceGet(" + ordinal + ")");
        byte[] name = new byte[256];
        check(JCudaDriver.cuDeviceGetName(name, name.length, device), "cuDeviceGetName");
        int end = 0;
        while (end < name.length && name[end] != 0) {
            end++;
        }
        return new RawDriver(device, version[0], new String(name, 0, end, StandardCharsets.US_ASCII));
    }

    /**
     * Checks one driver call's result, as the backend does ({@link CudaException#check}).
     *
     * @throws CudaException naming the call and the driver's error
     */
    static void check(int result, String call) {
        CudaException.check(result, call);
    }

    /**
     * Checks the result of call number {@code index} of a timed loop; the message is built only on failure, so
     * the loop times the driver, not string concatenation.
     */
    static void check(int result, String call, int index) {
        if (result != CUresult.CUDA_SUCCESS) {
            check(result, call + " #" + index);
        }
    }

    /** Makes the primary context current on the calling thread. */
    void enter() {
        check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    /** The kernel {@code name} of the shipped image, e.g. {@code rk_noop}. */
    CUfunction function(String name) {
        CUfunction function = new CUfunction();
        check(JCudaDriver.cuModuleGetFunction(function, module, name), "cuModuleGetFunction(" + name + ")");
        return function;
    }

    /** The baselines' stream: non-blocking, so it never waits on the legacy default stream. */
    CUstream stream() {
        return stream;
    }

    /** Waits until everything queued on the stream has finished; {@code after} names it in a failure. */
    void synchronize(String after) {
        int result = JCudaDriver.cuStreamSynchronize(stream);
        if (result != CUresult.CUDA_SUCCESS) {
            check(result, "cuStreamSynchronize after " + after);
        }
    }

    String deviceName() {
        return deviceName;
    }

    /** The driver's CUDA version, e.g. {@code 13.0}. */
    String driverVersion() {
        return driverVersion / 1000 + "." + driverVersion % 1000 / 10;
    }

    @Override
    public void close() {
        enter();
        check(JCudaDriver.cuStreamDestroy(stream), "cuStreamDestroy");
        check(JCudaDriver.cuModuleUnload(module), "cuModuleUnload");
        check(JCudaDriver.cuDevicePrimaryCtxRelease(device), "cuDevicePrimaryCtxRelease");
    }
}
