package org.ringkernel.bridge.cuda;

import static org.ringkernel.bridge.cuda.CudaException.check;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/**
 * Host memory that a kernel reads and writes in place: pinned and mapped into the device's address space
 * (DEVICEMAP, PORTABLE), where a kernel instance's control block, rings and arena live.
 *
 * <p>The JVM owns the memory (a page-aligned direct buffer) and the driver pins it with
 * {@code cuMemHostRegister}, rather than the driver owning it ({@code cuMemHostAlloc}): a context reset after
 * a sticky error frees everything the driver allocated, and host threads that still hold the instance (a
 * poller finishing a pass, an actor reading a final state) would then touch unmapped memory and crash the
 * JVM. Registered memory outlives the context; only the mapping goes, and the collector frees the buffer once
 * nothing reaches it.
 */
final class MappedHostMemory {
    private static final int PAGE = 4096;

    private final CudaDriver driver;
    private final ByteBuffer buffer;
    private final ByteBuffer host;
    private final long deviceAddress;
    private boolean registered;

    private MappedHostMemory(CudaDriver driver, ByteBuffer buffer, ByteBuffer host, long deviceAddress) {
        this.driver = driver;
        this.buffer = buffer;
        this.host = host;
        this.deviceAddress = deviceAddress;
        this.registered = true;
    }

    /** Allocates {@code length} zeroed bytes and maps them for the current context's device. */
    static MappedHostMemory allocate(CudaDriver driver, int length) {
        int pages = Math.addExact(length, PAGE - 1) / PAGE * PAGE;
        ByteBuffer buffer = ByteBuffer.allocateDirect(pages + PAGE).alignedSlice(PAGE);
        buffer.limit(pages);
        ByteBuffer host = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
        check(driver.cuMemHostRegister(host, pages,
                JCudaDriver.CU_MEMHOSTREGISTER_PORTABLE | JCudaDriver.CU_MEMHOSTREGISTER_DEVICEMAP),
                "cuMemHostRegister(" + pages + " bytes)");
        try {
            CUdeviceptr device = new CUdeviceptr();
            check(driver.cuMemHostGetDevicePointer(device, host), "cuMemHostGetDevicePointer");
            return new MappedHostMemory(driver, host.duplicate().limit(length).slice().order(ByteOrder.LITTLE_ENDIAN),
                    host, DevicePointers.address(driver, device));
        } catch (RuntimeException e) {
            driver.cuMemHostUnregister(host);
            throw e;
        }
    }

    /** The memory as the host sees it, little-endian, position 0. */
    ByteBuffer buffer() {
        return buffer;
    }

    /** The same memory's address on the device. */
    long deviceAddress() {
        return deviceAddress;
    }

    /**
     * Unpins the memory; the device must no longer use it. After a context reset the registration is gone
     * already, and the driver's complaint about it is not an error.
     */
    synchronized void unregister() {
        if (registered) {
            registered = false;
            driver.cuMemHostUnregister(host);
        }
    }
}
