package org.ringkernel.bridge.cuda;

import static org.ringkernel.bridge.cuda.CudaException.check;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import jcuda.driver.CUfunction;
import org.ringkernel.bridge.kernel.CpuKernel;
import org.ringkernel.bridge.kernel.KernelCall;

/**
 * The launch path of one kernel instance: the executor its host loop runs for each batch taken from the
 * ring. Per request it copies the inputs from the arena (mapped, pinned host memory, so the copies are
 * asynchronous DMA) into pooled device buffers, launches {@code rk_<id>_launch} over a grid sized to the
 * request, and copies the outputs back into the arena; a whole batch is queued on the instance's
 * non-blocking stream and synchronized once.
 *
 * <p>Kernel parameters are {@link LaunchArgs}; the launch writes its verdict into the first four bytes of its
 * scratch, which is copied back beside the outputs.
 */
final class LaunchPath implements CpuKernel {
    static final String MODE = "launch";
    private static final int BLOCK = 256;
    /** Elements one block takes in a sizing of the grid; kernels stride, so this only sets the speed. */
    private static final int ELEMENTS_PER_BLOCK = 4 * BLOCK;

    private final CudaBackend backend;
    private final String name;
    private final CudaContext context;
    private final CudaDriver driver;
    private final CUfunction function;
    private final int maxGrid;
    private final ScratchStream lane;
    private final MappedHostMemory verdicts;

    /**
     * Takes the stream, the scratch (kept in the pool for the path's life) and the verdicts; on failure gives
     * back what it took and throws.
     */
    LaunchPath(CudaBackend backend, String name, CudaContext context, CUfunction function, int maxBatch) {
        this.backend = backend;
        this.name = name;
        this.context = context;
        this.driver = context.driver();
        this.function = function;
        this.maxGrid = maxGrid(context.device());
        context.enter();
        this.lane = ScratchStream.open(driver, backend.pool(), scratchBytes(context.device()),
                name + "'s launch path");
        try {
            this.verdicts = MappedHostMemory.allocate(driver, maxBatch * Integer.BYTES);
        } catch (RuntimeException e) {
            lane.close();
            throw e;
        }
    }

    private static int maxGrid(CudaDevice device) {
        return device.multiprocessors() * 8;
    }

    /** Bytes of device memory a launch path keeps for its life on {@code device}. */
    static long scratchBytes(CudaDevice device) {
        return DeviceMemoryPool.granules(LaunchArgs.scratchBytes(maxGrid(device)));
    }

    @Override
    public void execute(KernelCall call) {
        executeBatch(List.of(call));
    }

    /**
     * Runs the batch in rounds: each round takes device buffers from the pool for as many of the remaining
     * requests as it has room for (waiting for room when it has none for the first), queues their copies and
     * launches, synchronizes once and gives the buffers back.
     */
    @Override
    public void executeBatch(List<KernelCall> batch) {
        context.enter();
        int done = 0;
        while (done < batch.size()) {
            done += executeRound(batch, done);
        }
        for (int i = 0; i < batch.size(); i++) {
            int verdict = verdicts.buffer().getInt(i * Integer.BYTES);
            if (verdict != 0) {
                throw new IllegalStateException(name + " refused request " + batch.get(i).requestId()
                        + " that the host had accepted (launch status " + verdict + ")");
            }
        }
    }

    /** Queues requests from {@code first} on while the pool has room, and finishes them; returns how many. */
    private int executeRound(List<KernelCall> batch, int first) {
        List<DeviceBuffer> buffers = new ArrayList<>();
        try {
            buffers.add(backend.pool().allocate(deviceBytes(batch.get(first))));
            enqueue(batch.get(first), first, buffers.get(0));
            for (int i = first + 1; i < batch.size(); i++) {
                DeviceBuffer buffer = backend.pool().tryAllocate(deviceBytes(batch.get(i)));
                if (buffer == null) {
                    break;
                }
                buffers.add(buffer);
                enqueue(batch.get(i), i, buffer);
            }
            check(driver.cuStreamSynchronize(lane.stream()), "cuStreamSynchronize after " + name);
            return buffers.size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + " was interrupted while waiting for device memory", e);
        } catch (RuntimeException e) {
            // What was queued before the failure must finish before its buffers go back to the pool.
            driver.cuStreamSynchronize(lane.stream());
            backend.reportIfDeviceFault(e);
            throw e;
        } finally {
            if (!backend.contextLost()) {
                buffers.forEach(backend.pool()::free);
            }
        }
    }

    /** Device bytes one request takes: each input and output, 256-byte aligned. */
    private static long deviceBytes(KernelCall call) {
        long bytes = 0;
        for (int i = 0; i < call.inputCount(); i++) {
            bytes += aligned(call.input(i).remaining());
        }
        for (int o = 0; o < call.outputCount(); o++) {
            bytes += aligned(call.output(o).remaining());
        }
        return bytes;
    }

    /** Queues one request's copies and launch into {@code buffer}, its verdict into slot {@code index}. */
    private void enqueue(KernelCall call, int index, DeviceBuffer buffer) {
        LaunchArgs args = new LaunchArgs();
        long offset = 0;
        long largest = 1;
        for (int i = 0; i < call.inputCount(); i++) {
            FloatBuffer input = call.input(i);
            long length = (long) input.remaining() * Float.BYTES;
            check(driver.cuMemcpyHtoDAsync(buffer.at(offset), input, length, lane.stream()),
                    "cuMemcpyHtoDAsync of input " + i);
            int[] dims = new int[call.inputRank(i)];
            for (int d = 0; d < dims.length; d++) {
                dims[d] = call.inputDim(i, d);
            }
            args.input(buffer.address() + offset, input.remaining(), dims);
            largest = Math.max(largest, input.remaining());
            offset += aligned(input.remaining());
        }
        long[] outputOffsets = new long[call.outputCount()];
        for (int o = 0; o < call.outputCount(); o++) {
            int count = call.output(o).remaining();
            outputOffsets[o] = offset;
            args.output(buffer.address() + offset, count);
            largest = Math.max(largest, count);
            offset += aligned(count);
        }
        for (int p = 0; p < call.paramCount(); p++) {
            args.param(call.param(p));
        }
        int grid = (int) Math.min(maxGrid, Math.max(1, (largest + ELEMENTS_PER_BLOCK - 1) / ELEMENTS_PER_BLOCK));
        check(driver.cuLaunchKernel(function, grid, BLOCK, lane.stream(),
                args.withScratch(lane.scratch().address())),
                "cuLaunchKernel(" + name + ", " + grid + " x " + BLOCK + ")");
        check(driver.cuMemcpyDtoHAsync(verdicts.buffer(), (long) index * Integer.BYTES, lane.scratch().pointer(),
                Integer.BYTES, lane.stream()), "cuMemcpyDtoHAsync of the launch status");
        for (int o = 0; o < call.outputCount(); o++) {
            FloatBuffer output = call.output(o);
            check(driver.cuMemcpyDtoHAsync(output, 0, buffer.at(outputOffsets[o]),
                    (long) output.remaining() * Float.BYTES, lane.stream()), "cuMemcpyDtoHAsync of output " + o);
        }
    }

    private static long aligned(int elements) {
        long bytes = (long) elements * Float.BYTES;
        return (bytes + DeviceMemoryPool.GRANULE - 1) / DeviceMemoryPool.GRANULE * DeviceMemoryPool.GRANULE;
    }

    /** Frees the stream and buffers; nothing launches any more. */
    void release() {
        if (!backend.contextLost()) {
            context.enter();
            lane.close();
        }
        verdicts.unregister();
    }
}
