package org.ringkernel.kernels.gpucheck;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jcuda.Pointer;
import jcuda.driver.JCudaDriver;

/**
 * Page-locked host memory from {@code cuMemHostAlloc}: what a program copying to the device uses so that its
 * copies are asynchronous DMA, the fastest way in and so the fair baseline for moving bytes.
 */
final class PinnedHostMemory implements AutoCloseable {
    private final Pointer pointer = new Pointer();
    private final ByteBuffer buffer;

    /** Allocates {@code bytes}; the primary context must be current. */
    PinnedHostMemory(long bytes) {
        RawDriver.check(JCudaDriver.cuMemHostAlloc(pointer, bytes, 0), "cuMemHostAlloc(" + bytes + " bytes)");
        buffer = pointer.getByteBuffer(0, bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The driver's pointer {@code offset} bytes in. */
    Pointer at(long offset) {
        return pointer.withByteOffset(offset);
    }

    /** The memory as the host sees it, little-endian, position 0. */
    ByteBuffer buffer() {
        return buffer;
    }

    @Override
    public void close() {
        RawDriver.check(JCudaDriver.cuMemFreeHost(pointer), "cuMemFreeHost");
    }
}
