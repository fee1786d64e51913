package org.ringkernel.bridge.cuda;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUmoduleLoadingMode;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import org.ringkernel.bridge.ring.ControlBlock;
import org.ringkernel.bridge.runtime.KernelCommand;
import org.ringkernel.bridge.runtime.KernelState;

/**
 * A stand-in for the CUDA driver that records every call the backend makes, in order, with no device behind
 * it. It plays the device only as far as the host can see it: a persistent kernel reports itself launched and,
 * once told to terminate, terminated, on a thread of its own (its stream then completes); launches and copies
 * do nothing else, so a
 * launch-path request completes with whatever its outputs held. One device of compute capability 9.0 with
 * four multiprocessors; the driver version, a module load's result and one failing call can be set.
 */
final class RecordingCudaDriver implements CudaDriver {
    private static final int PERSISTENT_PARAMS_LENGTH = 40;
    private static final long POLL_NANOS = 1_000_000;

    private final List<String> calls = new ArrayList<>();
    private final Map<Object, Long> addresses = new IdentityHashMap<>();
    private final Map<Long, ByteBuffer> mappedHost = new ConcurrentHashMap<>();
    private final Map<Object, String> functionNames = new IdentityHashMap<>();
    private final Map<Object, Thread> persistentKernels = new IdentityHashMap<>();
    private final AtomicLong nextAddress = new AtomicLong(0x7f00_0000_0000L);
    private volatile int driverVersion = 13000;
    private volatile int moduleLoadResult = CUresult.CUDA_SUCCESS;
    private String failingCall;
    private int failingResult;

    /** The driver reports {@code version} ({@code 12040} for 12.4). */
    RecordingCudaDriver driverVersion(int version) {
        driverVersion = version;
        return this;
    }

    /** Every module load answers {@code result}. */
    RecordingCudaDriver moduleLoadResult(int result) {
        moduleLoadResult = result;
        return this;
    }

    /** The next call named {@code name} answers {@code result}, once. */
    synchronized void failNext(String name, int result) {
        failingCall = name;
        failingResult = result;
    }

    /** The names of the calls made so far, in order. */
    synchronized List<String> calls() {
        return calls.stream().map(call -> call.split(" ", 2)[0]).toList();
    }

    /** The calls made so far with their details (a launch names its entry, an allocation its bytes). */
    synchronized List<String> detailedCalls() {
        return List.copyOf(calls);
    }

    private synchronized int record(String name, Object detail) {
        calls.add(detail == null ? name : name + " " + detail);
        if (name.equals(failingCall)) {
            failingCall = null;
            return failingResult;
        }
        return CUresult.CUDA_SUCCESS;
    }

    private int record(String name) {
        return record(name, null);
    }

    @Override
    public int cuInit(int flags) {
        return record("cuInit");
    }

    @Override
    public int cuDriverGetVersion(int[] version) {
        version[0] = driverVersion;
        return record("cuDriverGetVersion");
    }

    @Override
    public int cuDeviceGetCount(int[] count) {
        count[0] = 1;
        return record("cuDeviceGetCount");
    }

    @Override
    public int cuDeviceGet(CUdevice device, int ordinal) {
        return ordinal == 0 ? record("cuDeviceGet") : CUresult.CUDA_ERROR_INVALID_DEVICE;
    }

    @Override
    public int cuDeviceGetName(byte[] name, int length, CUdevice device) {
        byte[] text = "Recording stand-in".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, name, 0, Math.min(text.length, length - 1));
        return record("cuDeviceGetName");
    }

    @Override
    public int cuDeviceTotalMem(long[] bytes, CUdevice device) {
        bytes[0] = 80L << 30;
        return record("cuDeviceTotalMem");
    }

    @Override
    public int cuDeviceGetAttribute(int[] value, int attribute, CUdevice device) {
        if (attribute == CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR) {
            value[0] = 9;
        } else if (attribute == CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR) {
            value[0] = 0;
        } else if (attribute == CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT) {
            value[0] = 4;
        } else {
            value[0] = 1;
        }
        return record("cuDeviceGetAttribute");
    }

    @Override
    public int cuDevicePrimaryCtxRetain(CUcontext context, CUdevice device) {
        return record("cuDevicePrimaryCtxRetain");
    }

    @Override
    public int cuDevicePrimaryCtxRelease(CUdevice device) {
        return record("cuDevicePrimaryCtxRelease");
    }

    @Override
    public int cuDevicePrimaryCtxReset(CUdevice device) {
        return record("cuDevicePrimaryCtxReset");
    }

    @Override
    public int cuCtxSetCurrent(CUcontext context) {
        // Every driver-calling thread makes the context current, many times: not worth recording.
        return CUresult.CUDA_SUCCESS;
    }

    @Override
    public int cuModuleGetLoadingMode(int[] mode) {
        mode[0] = CUmoduleLoadingMode.CU_MODULE_LAZY_LOADING;
        return record("cuModuleGetLoadingMode");
    }

    @Override
    public int cuModuleLoadData(CUmodule module, byte[] image) {
        int result = record("cuModuleLoadData", image.length + " bytes");
        return result != CUresult.CUDA_SUCCESS ? result : moduleLoadResult;
    }

    @Override
    public int cuModuleUnload(CUmodule module) {
        return record("cuModuleUnload");
    }

    @Override
    public synchronized int cuModuleGetFunction(CUfunction function, CUmodule module, String name) {
        functionNames.put(function, name);
        return record("cuModuleGetFunction", name);
    }

    @Override
    public synchronized int cuFuncGetAttribute(int[] value, int attribute, CUfunction function) {
        value[0] = 32;
        return record("cuFuncGetAttribute", functionNames.get(function));
    }

    @Override
    public synchronized int cuOccupancyMaxActiveBlocksPerMultiprocessor(int[] blocks, CUfunction function,
                                                                        int blockSize, long dynamicSharedBytes) {
        blocks[0] = 8;
        return record("cuOccupancyMaxActiveBlocksPerMultiprocessor", functionNames.get(function));
    }

    /** A device of 80 GiB with 1 GiB in use. */
    @Override
    public int cuMemGetInfo(long[] free, long[] total) {
        total[0] = 80L << 30;
        free[0] = total[0] - (1L << 30);
        return record("cuMemGetInfo");
    }

    @Override
    public synchronized int cuMemAlloc(CUdeviceptr pointer, long bytes) {
        addresses.put(pointer, nextAddress.getAndAdd((bytes + 0xffff) & ~0xffffL));
        return record("cuMemAlloc", bytes);
    }

    @Override
    public int cuMemFree(CUdeviceptr pointer) {
        return record("cuMemFree");
    }

    @Override
    public synchronized int devicePointerAddress(long[] address, CUdeviceptr pointer) {
        Long known = addresses.get(pointer);
        if (known == null) {
            return CUresult.CUDA_ERROR_INVALID_VALUE;
        }
        address[0] = known;
        return CUresult.CUDA_SUCCESS;
    }

    @Override
    public int cuMemHostRegister(ByteBuffer host, long bytes, int flags) {
        return record("cuMemHostRegister", bytes);
    }

    @Override
    public synchronized int cuMemHostGetDevicePointer(CUdeviceptr pointer, ByteBuffer host) {
        long address = nextAddress.getAndAdd((host.capacity() + 0xffffL) & ~0xffffL);
        addresses.put(pointer, address);
        mappedHost.put(address, host);
        return record("cuMemHostGetDevicePointer");
    }

    @Override
    public int cuMemHostUnregister(ByteBuffer host) {
        return record("cuMemHostUnregister");
    }

    @Override
    public int cuStreamCreate(CUstream stream, int flags) {
        return record("cuStreamCreate");
    }

    @Override
    public int cuStreamDestroy(CUstream stream) {
        return record("cuStreamDestroy");
    }

    /** A persistent kernel's stream completes once the kernel has terminated. */
    @Override
    public int cuStreamQuery(CUstream stream) {
        Thread kernel;
        synchronized (this) {
            kernel = persistentKernels.get(stream);
        }
        return kernel == null || !kernel.isAlive() ? CUresult.CUDA_SUCCESS : CUresult.CUDA_ERROR_NOT_READY;
    }

    @Override
    public int cuStreamSynchronize(CUstream stream) {
        return record("cuStreamSynchronize");
    }

    @Override
    public int cuMemsetD8Async(CUdeviceptr pointer, byte value, long bytes, CUstream stream) {
        return record("cuMemsetD8Async", bytes);
    }

    /** A persistent kernel (its parameters are the ring addresses) reports itself launched at once. */
    @Override
    public int cuLaunchKernel(CUfunction function, int gridSize, int blockSize, CUstream stream, byte[] params) {
        String entry;
        synchronized (this) {
            entry = functionNames.get(function);
        }
        int result = record("cuLaunchKernel", entry);
        if (result == CUresult.CUDA_SUCCESS && params.length == PERSISTENT_PARAMS_LENGTH) {
            long control = ByteBuffer.wrap(params).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            Thread kernel = new Thread(() -> playPersistentKernel(new ControlBlock(mappedHost.get(control), 0)),
                    "stand-in-" + entry);
            kernel.setDaemon(true);
            synchronized (this) {
                persistentKernels.put(stream, kernel);
            }
            kernel.start();
        }
        return result;
    }

    /** Reports the kernel launched, then terminated once the host asks. */
    private static void playPersistentKernel(ControlBlock control) {
        control.kernelState(KernelState.LAUNCHED);
        while (control.command() != KernelCommand.TERMINATE) {
            LockSupport.parkNanos(POLL_NANOS);
        }
        control.kernelState(KernelState.TERMINATED);
    }

    @Override
    public int cuMemcpyHtoDAsync(CUdeviceptr target, Buffer source, long bytes, CUstream stream) {
        return record("cuMemcpyHtoDAsync", bytes);
    }

    @Override
    public int cuMemcpyDtoHAsync(Buffer target, long targetOffset, CUdeviceptr source, long bytes, CUstream stream) {
        return record("cuMemcpyDtoHAsync", bytes);
    }
}
