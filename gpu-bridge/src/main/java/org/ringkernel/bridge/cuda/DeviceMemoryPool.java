package org.ringkernel.bridge.cuda;

import static org.ringkernel.bridge.cuda.CudaException.check;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/**
 * Device memory for launch-path requests, taken from one allocation made at start-up so that requests do not
 * call {@code cuMemAlloc}/{@code cuMemFree} (which synchronize the device) one by one. First fit over a free
 * list ordered by offset, neighbours merged on free, 256-byte granules. A request that finds no room, or any
 * request with pooling off, gets an allocation of its own. Shared by the launch loops of one backend.
 */
final class DeviceMemoryPool {
    static final long GRANULE = 256;

    private final CudaContext context;
    private final boolean pooling;
    private final CUdeviceptr base;
    private final long baseAddress;
    private final long size;
    private final FreeRanges free;

    /**
     * @param size bytes the pool takes now
     * @param pooling false to allocate every buffer on its own
     */
    DeviceMemoryPool(CudaContext context, long size, boolean pooling) {
        this.context = context;
        this.pooling = pooling;
        this.size = pooling ? size / GRANULE * GRANULE : 0;
        this.base = new CUdeviceptr();
        this.free = new FreeRanges(this.size);
        if (this.size > 0) {
            check(JCudaDriver.cuMemAlloc(base, this.size), "cuMemAlloc(" + this.size + " bytes) for the memory pool");
            baseAddress = DevicePointers.address(base);
        } else {
            baseAddress = 0;
        }
    }

    /** A buffer of at least {@code bytes} bytes, 256-byte aligned. The caller's thread has the context current. */
    DeviceBuffer allocate(long bytes) {
        long wanted = Math.max(GRANULE, (bytes + GRANULE - 1) / GRANULE * GRANULE);
        synchronized (this) {
            long offset = free.take(wanted);
            if (offset != FreeRanges.NONE) {
                return new DeviceBuffer(base.withByteOffset(offset), baseAddress + offset, wanted, true);
            }
        }
        CUdeviceptr own = new CUdeviceptr();
        check(JCudaDriver.cuMemAlloc(own, wanted), "cuMemAlloc(" + wanted + " bytes)");
        return new DeviceBuffer(own, DevicePointers.address(own), wanted, false);
    }

    /** Returns {@code buffer}; the device must be done with it. */
    void free(DeviceBuffer buffer) {
        if (!buffer.pooled()) {
            check(JCudaDriver.cuMemFree(buffer.pointer()), "cuMemFree");
            return;
        }
        synchronized (this) {
            free.give(buffer.address() - baseAddress, buffer.length());
        }
    }

    /** Frees the pool's allocation; after a context reset it is gone already. */
    void close(boolean contextReset) {
        if (size > 0 && !contextReset) {
            context.enter();
            check(JCudaDriver.cuMemFree(base), "cuMemFree of the memory pool");
        }
    }
}
