package org.ringkernel.bridge.cuda;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUpointer_attribute;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/** The CUDA driver itself, through JCuda; loading this class loads the driver library. */
final class NativeCudaDriver implements CudaDriver {

    @Override
    public int cuInit(int flags) {
        return JCudaDriver.cuInit(flags);
    }

    @Override
    public int cuDriverGetVersion(int[] version) {
        return JCudaDriver.cuDriverGetVersion(version);
    }

    @Override
    public int cuDeviceGetCount(int[] count) {
        return JCudaDriver.cuDeviceGetCount(count);
    }

    @Override
    public int cuDeviceGet(CUdevice device, int ordinal) {
        return JCudaDriver.cuDeviceGet(device, ordinal);
    }

    @Override
    public int cuDeviceGetName(byte[] name, int length, CUdevice device) {
        return JCudaDriver.cuDeviceGetName(name, length, device);
    }

    @Override
    public int cuDeviceTotalMem(long[] bytes, CUdevice device) {
        return JCudaDriver.cuDeviceTotalMem(bytes, device);
    }

    @Override
    public int cuDeviceGetAttribute(int[] value, int attribute, CUdevice device) {
        return JCudaDriver.cuDeviceGetAttribute(value, attribute, device);
    }

    @Override
    public int cuDevicePrimaryCtxRetain(CUcontext context, CUdevice device) {
        return JCudaDriver.cuDevicePrimaryCtxRetain(context, device);
    }

    @Override
    public int cuDevicePrimaryCtxRelease(CUdevice device) {
        return JCudaDriver.cuDevicePrimaryCtxRelease(device);
    }

    @Override
    public int cuDevicePrimaryCtxReset(CUdevice device) {
        return JCudaDriver.cuDevicePrimaryCtxReset(device);
    }

    @Override
    public int cuCtxSetCurrent(CUcontext context) {
        return JCudaDriver.cuCtxSetCurrent(context);
    }

    @Override
    public int cuModuleGetLoadingMode(int[] mode) {
        return JCudaDriver.cuModuleGetLoadingMode(mode);
    }

    @Override
    public int cuModuleLoadData(CUmodule module, byte[] image) {
        return JCudaDriver.cuModuleLoadData(module, image);
    }

    @Override
    public int cuModuleUnload(CUmodule module) {
        return JCudaDriver.cuModuleUnload(module);
    }

    @Override
    public int cuModuleGetFunction(CUfunction function, CUmodule module, String name) {
        return JCudaDriver.cuModuleGetFunction(function, module, name);
    }

    @Override
    public int cuFuncGetAttribute(int[] value, int attribute, CUfunction function) {
        return JCudaDriver.cuFuncGetAttribute(value, attribute, function);
    }

    @Override
    public int cuOccupancyMaxActiveBlocksPerMultiprocessor(int[] blocks, CUfunction function, int blockSize,
                                                           long dynamicSharedBytes) {
        return JCudaDriver.cuOccupancyMaxActiveBlocksPerMultiprocessor(blocks, function, blockSize,
                dynamicSharedBytes);
    }

    @Override
    public int cuMemGetInfo(long[] free, long[] total) {
        return JCudaDriver.cuMemGetInfo(free, total);
    }

    @Override
    public int cuMemAlloc(CUdeviceptr pointer, long bytes) {
        return JCudaDriver.cuMemAlloc(pointer, bytes);
    }

    @Override
    public int cuMemFree(CUdeviceptr pointer) {
        return JCudaDriver.cuMemFree(pointer);
    }

    @Override
    public int devicePointerAddress(long[] address, CUdeviceptr pointer) {
        return JCudaDriver.cuPointerGetAttribute(Pointer.to(address),
                CUpointer_attribute.CU_POINTER_ATTRIBUTE_DEVICE_POINTER, pointer);
    }

    @Override
    public int cuMemHostRegister(ByteBuffer host, long bytes, int flags) {
        return JCudaDriver.cuMemHostRegister(Pointer.to(host), bytes, flags);
    }

    @Override
    public int cuMemHostGetDevicePointer(CUdeviceptr pointer, ByteBuffer host) {
        return JCudaDriver.cuMemHostGetDevicePointer(pointer, Pointer.to(host), 0);
    }

    @Override
    public int cuMemHostUnregister(ByteBuffer host) {
        return JCudaDriver.cuMemHostUnregister(Pointer.to(host));
    }

    @Override
    public int cuStreamCreate(CUstream stream, int flags) {
        return JCudaDriver.cuStreamCreate(stream, flags);
    }

    @Override
    public int cuStreamDestroy(CUstream stream) {
        return JCudaDriver.cuStreamDestroy(stream);
    }

    @Override
    public int cuStreamQuery(CUstream stream) {
        return JCudaDriver.cuStreamQuery(stream);
    }

    @Override
    public int cuStreamSynchronize(CUstream stream) {
        return JCudaDriver.cuStreamSynchronize(stream);
    }

    @Override
    public int cuMemsetD8Async(CUdeviceptr pointer, byte value, long bytes, CUstream stream) {
        return JCudaDriver.cuMemsetD8Async(pointer, value, bytes, stream);
    }

    @Override
    public int cuLaunchKernel(CUfunction function, int gridSize, int blockSize, CUstream stream, byte[] params) {
        return JCudaDriver.cuLaunchKernel(function, gridSize, 1, 1, blockSize, 1, 1, 0, stream,
                Pointer.to(Pointer.to(params)), null);
    }

    @Override
    public int cuMemcpyHtoDAsync(CUdeviceptr target, Buffer source, long bytes, CUstream stream) {
        return JCudaDriver.cuMemcpyHtoDAsync(target, Pointer.to(source), bytes, stream);
    }

    @Override
    public int cuMemcpyDtoHAsync(Buffer target, long targetOffset, CUdeviceptr source, long bytes, CUstream stream) {
        return JCudaDriver.cuMemcpyDtoHAsync(Pointer.to(target).withByteOffset(targetOffset), source, bytes, stream);
    }
}
