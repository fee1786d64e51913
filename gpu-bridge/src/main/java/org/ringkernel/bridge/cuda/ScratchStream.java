package org.ringkernel.bridge.cuda;

import static org.ringkernel.bridge.cuda.CudaException.check;

import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;

/**
 * A non-blocking stream of its own and a zeroed scratch from the memory pool, kept together for the life of
 * what launches on them: a persistent kernel or a launch path.
 */
final class ScratchStream {
    private final CudaDriver driver;
    private final DeviceMemoryPool pool;
    private final CUstream stream;
    private final DeviceBuffer scratch;

    private ScratchStream(CudaDriver driver, DeviceMemoryPool pool, CUstream stream, DeviceBuffer scratch) {
        this.driver = driver;
        this.pool = pool;
        this.stream = stream;
        this.scratch = scratch;
    }

    /**
     * Reserves {@code scratchBytes} for {@code user}, creates the stream and queues the scratch's zeroing on it;
     * the calling thread has the context current. On failure it gives back what it took and throws.
     */
    static ScratchStream open(CudaDriver driver, DeviceMemoryPool pool, long scratchBytes, String user) {
        DeviceBuffer scratch = pool.reserve(scratchBytes, user);
        CUstream stream = new CUstream();
        try {
            check(driver.cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING), "cuStreamCreate");
        } catch (RuntimeException e) {
            pool.release(scratch);
            throw e;
        }
        ScratchStream opened = new ScratchStream(driver, pool, stream, scratch);
        try {
            check(driver.cuMemsetD8Async(scratch.pointer(), (byte) 0, scratchBytes, stream), "cuMemsetD8Async");
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
        return opened;
    }

    CUstream stream() {
        return stream;
    }

    DeviceBuffer scratch() {
        return scratch;
    }

    /** Destroys the stream and gives the scratch back; nothing runs on them any more. */
    void close() {
        driver.cuStreamDestroy(stream);
        pool.release(scratch);
    }
}
