package org.ringkernel.bridge.cuda;

import static org.ringkernel.bridge.cuda.CudaException.check;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;
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
    private final CUfunction function;
    private final int maxGrid;
    private final CUstream stream = new CUstream();
    private final DeviceBuffer scratch;
    private final MappedHostMemory verdicts;

    LaunchPath(CudaBackend backend, String name, CudaContext context, CUfunction function, int maxBatch) {
        this.backend = backend;
        this.name = name;
        this.context = context;
        this.function = function;
        this.maxGrid = context.device().multiprocessors() * 8;
        context.enter();
        check(JCudaDriver.cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING), "cuStreamCreate");
        long scratchLength = LaunchArgs.scratchBytes(maxGrid);
        this.scratch = backend.pool().allocate(scratchLength);
        check(JCudaDriver.cuMemsetD8Async(scratch.pointer(), (byte) 0, scratchLength, stream), "cuMemsetD8Async");
        this.verdicts = MappedHostMemory.allocate(maxBatch * Integer.BYTES);
    }

    @Override
    public void execute(KernelCall call) {
        executeBatch(List.of(call));
    }

    @Override
    public void executeBatch(List<KernelCall> batch) {
        context.enter();
        List<DeviceBuffer> buffers = new ArrayList<>(batch.size());
        try {
            for (int i = 0; i < batch.size(); i++) {
                buffers.add(enqueue(batch.get(i), i));
            }
            check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize after " + name);
        } catch (RuntimeException e) {
            // What was queued before the failure must finish before its buffers go back to the pool.
            JCudaDriver.cuStreamSynchronize(stream);
            backend.reportIfDeviceFault(e);
            throw e;
        } finally {
            if (!backend.contextLost()) {
                buffers.forEach(backend.pool()::free);
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            int verdict = verdicts.buffer().getInt(i * Integer.BYTES);
            if (verdict != 0) {
                throw new IllegalStateException(name + " refused request " + batch.get(i).requestId()
                        + " that the host had accepted (launch status " + verdict + ")");
            }
        }
    }

    /** Queues one request's copies and launch; returns the device buffer it uses. */
    private DeviceBuffer enqueue(KernelCall call, int index) {
        long bytes = 0;
        for (int i = 0; i < call.inputCount(); i++) {
            bytes += aligned(call.input(i).remaining());
        }
        for (int o = 0; o < call.outputCount(); o++) {
            bytes += aligned(call.output(o).remaining());
        }
        DeviceBuffer buffer = backend.pool().allocate(bytes);
        LaunchArgs args = new LaunchArgs();
        long offset = 0;
        long largest = 1;
        for (int i = 0; i < call.inputCount(); i++) {
            FloatBuffer input = call.input(i);
            long length = (long) input.remaining() * Float.BYTES;
            check(JCudaDriver.cuMemcpyHtoDAsync(buffer.at(offset), Pointer.to(input), length, stream),
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
        check(JCudaDriver.cuLaunchKernel(function, grid, 1, 1, BLOCK, 1, 1, 0, stream,
                Pointer.to(Pointer.to(args.withScratch(scratch.address()))), null),
                "cuLaunchKernel(" + name + ", " + grid + " x " + BLOCK + ")");
        check(JCudaDriver.cuMemcpyDtoHAsync(Pointer.to(verdicts.buffer()).withByteOffset((long) index * Integer.BYTES),
                scratch.pointer(), Integer.BYTES, stream), "cuMemcpyDtoHAsync of the launch status");
        for (int o = 0; o < call.outputCount(); o++) {
            FloatBuffer output = call.output(o);
            check(JCudaDriver.cuMemcpyDtoHAsync(Pointer.to(output), buffer.at(outputOffsets[o]),
                    (long) output.remaining() * Float.BYTES, stream), "cuMemcpyDtoHAsync of output " + o);
        }
        return buffer;
    }

    private static long aligned(int elements) {
        long bytes = (long) elements * Float.BYTES;
        return (bytes + DeviceMemoryPool.GRANULE - 1) / DeviceMemoryPool.GRANULE * DeviceMemoryPool.GRANULE;
    }

    /** Frees the stream and buffers; nothing launches any more. */
    void release() {
        if (!backend.contextLost()) {
            context.enter();
            JCudaDriver.cuStreamDestroy(stream);
            backend.pool().free(scratch);
        }
        verdicts.unregister();
    }
}
