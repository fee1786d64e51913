package org.ringkernel.bridge.cuda;

import static org.ringkernel.bridge.cuda.CudaException.check;

import jcuda.driver.CUdeviceptr;

/**
 * All the device memory the backend uses: one allocation made when the backend opens, before any persistent
 * kernel runs, and handed out from there. Nothing is allocated or freed with the driver afterwards, since
 * {@code cuMemAlloc} and {@code cuMemFree} may wait for the device to go idle, which it never does while a
 * persistent kernel is resident. First fit over a free list ordered by offset, neighbours merged on free,
 * 256-byte granules. Shared by the kernels and launch loops of one backend.
 *
 * <p>Two kinds of use: {@link #reserve} keeps memory for an instance's life (its scratch) and fails at once,
 * with the numbers, when the pool cannot hold it; {@link #allocate} takes a request's buffers and waits while
 * other requests hold the room, which is backpressure: the launch loop takes no more from its ring meanwhile.
 */
final class DeviceMemoryPool {
    static final long GRANULE = 256;

    private final CudaContext context;
    private final CUdeviceptr base;
    private final long baseAddress;
    private final long size;
    private final FreeRanges free;
    private long reserved;
    private int waiting;

    /** Allocates {@code size} bytes of device memory, rounded down to whole granules. */
    DeviceMemoryPool(CudaContext context, long size) {
        this.context = context;
        this.size = size / GRANULE * GRANULE;
        this.base = new CUdeviceptr();
        this.free = new FreeRanges(this.size);
        check(context.driver().cuMemAlloc(base, this.size), "cuMemAlloc(" + this.size
                + " bytes) for the memory pool (ringkernel.memory.pool-size)");
        baseAddress = DevicePointers.address(context.driver(), base);
    }

    /** Bytes the pool holds. */
    long size() {
        return size;
    }

    /** Bytes not handed out now. */
    synchronized long available() {
        return free.freeLength();
    }

    /** How many requests wait for room now. */
    synchronized int waiting() {
        return waiting;
    }

    /** Bytes kept by instances for their life. */
    synchronized long reserved() {
        return reserved;
    }

    /** {@code bytes} rounded up to whole granules, as the pool hands them out. */
    static long granules(long bytes) {
        return Math.max(GRANULE, (bytes + GRANULE - 1) / GRANULE * GRANULE);
    }

    /**
     * A buffer kept until {@link #release}d, for {@code user}.
     *
     * @throws IllegalStateException when the pool has no room for it, with the numbers
     */
    synchronized DeviceBuffer reserve(long bytes, String user) {
        long wanted = granules(bytes);
        long offset = free.take(wanted);
        if (offset == FreeRanges.NONE) {
            throw new IllegalStateException(user + " needs " + wanted + " bytes of device memory, but the memory "
                    + "pool (ringkernel.memory.pool-size, " + size + " bytes) has " + free.freeLength()
                    + " bytes free, " + reserved + " of its bytes kept by running instances; raise "
                    + "ringkernel.memory.pool-size or run fewer instances");
        }
        reserved += wanted;
        return buffer(offset, wanted);
    }

    /** Gives back a buffer from {@link #reserve}; the device must be done with it. */
    synchronized void release(DeviceBuffer buffer) {
        reserved -= buffer.length();
        give(buffer);
    }

    /**
     * A buffer of at least {@code bytes} bytes, 256-byte aligned, waiting while other requests hold the room.
     *
     * @throws IllegalStateException when the pool could never hold it beside what instances keep
     * @throws InterruptedException when interrupted while waiting
     */
    synchronized DeviceBuffer allocate(long bytes) throws InterruptedException {
        long wanted = granules(bytes);
        while (true) {
            if (wanted > size - reserved) {
                throw new IllegalStateException("a request needs " + wanted + " bytes of device memory, but the "
                        + "memory pool (ringkernel.memory.pool-size, " + size + " bytes) keeps " + reserved
                        + " of them for running instances; raise ringkernel.memory.pool-size");
            }
            long offset = free.take(wanted);
            if (offset != FreeRanges.NONE) {
                return buffer(offset, wanted);
            }
            waiting++;
            try {
                wait();
            } finally {
                waiting--;
            }
        }
    }

    /** A buffer of at least {@code bytes} bytes, or null when the pool has no room now. */
    synchronized DeviceBuffer tryAllocate(long bytes) {
        long wanted = granules(bytes);
        long offset = free.take(wanted);
        return offset == FreeRanges.NONE ? null : buffer(offset, wanted);
    }

    /** Gives back a buffer from {@link #allocate}; the device must be done with it. */
    synchronized void free(DeviceBuffer buffer) {
        give(buffer);
    }

    private DeviceBuffer buffer(long offset, long length) {
        return new DeviceBuffer(base.withByteOffset(offset), baseAddress + offset, length);
    }

    private void give(DeviceBuffer buffer) {
        free.give(buffer.address() - baseAddress, buffer.length());
        notifyAll();
    }

    /** Frees the pool's allocation once nothing runs any more; after a context reset it is gone already. */
    void close(boolean contextReset) {
        if (!contextReset) {
            context.enter();
            check(context.driver().cuMemFree(base), "cuMemFree of the memory pool");
        }
    }
}
