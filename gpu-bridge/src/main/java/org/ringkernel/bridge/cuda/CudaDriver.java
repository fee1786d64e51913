package org.ringkernel.bridge.cuda;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;

/**
 * The CUDA driver calls the backend makes, one method per driver function, each returning the driver's result
 * code. The backend reaches the driver only through this interface, so that tests can stand in for it and record
 * what the backend asks of the device, and when. {@link NativeCudaDriver} is the driver itself.
 *
 * <p>Host memory is passed as NIO buffers and kernel parameters as the bytes of their struct; the driver's
 * pointer plumbing stays inside the native implementation.
 */
interface CudaDriver {

    int cuInit(int flags);

    /** The driver's CUDA version, e.g. {@code 13000} for 13.0. */
    int cuDriverGetVersion(int[] version);

    int cuDeviceGetCount(int[] count);

    int cuDeviceGet(CUdevice device, int ordinal);

    int cuDeviceGetName(byte[] name, int length, CUdevice device);

    int cuDeviceTotalMem(long[] bytes, CUdevice device);

    int cuDeviceGetAttribute(int[] value, int attribute, CUdevice device);

    int cuDevicePrimaryCtxRetain(CUcontext context, CUdevice device);

    int cuDevicePrimaryCtxRelease(CUdevice device);

    int cuDevicePrimaryCtxReset(CUdevice device);

    int cuCtxSetCurrent(CUcontext context);

    /** Whether the driver loads modules lazily ({@code CU_MODULE_LAZY_LOADING}) or eagerly. */
    int cuModuleGetLoadingMode(int[] mode);

    int cuModuleLoadData(CUmodule module, byte[] image);

    int cuModuleUnload(CUmodule module);

    int cuModuleGetFunction(CUfunction function, CUmodule module, String name);

    /** Reads an attribute of a function; the first such read loads the function where loading is lazy. */
    int cuFuncGetAttribute(int[] value, int attribute, CUfunction function);

    int cuOccupancyMaxActiveBlocksPerMultiprocessor(int[] blocks, CUfunction function, int blockSize,
                                                    long dynamicSharedBytes);

    /** Free and total bytes of the current context's device. */
    int cuMemGetInfo(long[] free, long[] total);

    int cuMemAlloc(CUdeviceptr pointer, long bytes);

    int cuMemFree(CUdeviceptr pointer);

    /** The numeric device address of {@code pointer} (CU_POINTER_ATTRIBUTE_DEVICE_POINTER). */
    int devicePointerAddress(long[] address, CUdeviceptr pointer);

    int cuMemHostRegister(ByteBuffer host, long bytes, int flags);

    int cuMemHostGetDevicePointer(CUdeviceptr pointer, ByteBuffer host);

    int cuMemHostUnregister(ByteBuffer host);

    int cuStreamCreate(CUstream stream, int flags);

    int cuStreamDestroy(CUstream stream);

    int cuStreamQuery(CUstream stream);

    int cuStreamSynchronize(CUstream stream);

    int cuMemsetD8Async(CUdeviceptr pointer, byte value, long bytes, CUstream stream);

    /** Launches {@code function} over a one-dimensional grid, its one parameter a struct of {@code params}. */
    int cuLaunchKernel(CUfunction function, int gridSize, int blockSize, CUstream stream, byte[] params);

    /** Copies {@code bytes} from host {@code source} (its position onwards) to the device. */
    int cuMemcpyHtoDAsync(CUdeviceptr target, Buffer source, long bytes, CUstream stream);

    /** Copies {@code bytes} from the device to host {@code target}, {@code targetOffset} bytes past its position. */
    int cuMemcpyDtoHAsync(Buffer target, long targetOffset, CUdeviceptr source, long bytes, CUstream stream);
}
