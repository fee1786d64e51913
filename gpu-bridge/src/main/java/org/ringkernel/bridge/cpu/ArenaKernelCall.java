package org.ringkernel.bridge.cpu;

import static org.ringkernel.bridge.ring.RequestDescriptor.*;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.ringkernel.bridge.kernel.KernelCall;
import org.ringkernel.bridge.runtime.HostResidentTensors;
import org.ringkernel.bridge.ring.KernelMemoryLayout;

/**
 * A request record decoded for whoever computes it on the host side: tensor views onto the arena, params in
 * order. The CPU loop hands these to a kernel's CPU implementation; the CUDA launch path copies from and to
 * the same views.
 */
public final class ArenaKernelCall implements KernelCall {
    private final ByteBuffer memory;
    private final int record;
    private final FloatBuffer arena;
    private final HostResidentTensors hostResident;
    private final long position;

    /**
     * @param memory the instance's memory
     * @param record the absolute offset of the request record
     * @param arena the arena as floats ({@link #arenaFloats}), made once per instance: each tensor view is then
     *     one slice of it, which matters when requests are small
     */
    public ArenaKernelCall(ByteBuffer memory, int record, FloatBuffer arena) {
        this(memory, record, arena, null, 0);
    }

    /**
     * A call whose tensors may also lie in host memory, for a loop that computes on the host.
     *
     * @param hostResident the tensors left in host memory, found by {@code position}; null where there are none
     * @param position the ring position of the request
     */
    ArenaKernelCall(ByteBuffer memory, int record, FloatBuffer arena, HostResidentTensors hostResident,
                    long position) {
        this.memory = memory;
        this.record = record;
        this.arena = arena;
        this.hostResident = hostResident;
        this.position = position;
    }

    /** The arena of {@code layout} in {@code memory} as little-endian floats, for {@link #ArenaKernelCall}. */
    public static FloatBuffer arenaFloats(ByteBuffer memory, KernelMemoryLayout layout) {
        return memory.slice(layout.arenaOffset(), layout.arenaLength()).order(memory.order()).asFloatBuffer();
    }

    @Override
    public long requestId() {
        return memory.getLong(record + REQUEST_ID_OFFSET);
    }

    @Override
    public int inputCount() {
        return memory.getInt(record + INPUT_COUNT_OFFSET);
    }

    @Override
    public int inputRank(int input) {
        return memory.getInt(record + inputOffset(checkInput(input)) + INPUT_RANK_OFFSET);
    }

    @Override
    public int inputDim(int input, int axis) {
        int rank = inputRank(input);
        int resolved = axis < 0 ? rank + axis : axis;
        if (resolved < 0 || resolved >= rank) {
            throw new IndexOutOfBoundsException("axis " + axis + " of an input of rank " + rank);
        }
        return memory.getInt(record + inputOffset(input) + INPUT_DIMS_OFFSET + resolved * Integer.BYTES);
    }

    @Override
    public FloatBuffer input(int input) {
        int entry = record + inputOffset(checkInput(input));
        return view(entry, true, input).asReadOnlyBuffer();
    }

    @Override
    public int outputCount() {
        return memory.getInt(record + OUTPUT_COUNT_OFFSET);
    }

    @Override
    public FloatBuffer output(int output) {
        if (output < 0 || output >= outputCount()) {
            throw new IndexOutOfBoundsException("output " + output + " of " + outputCount());
        }
        return view(record + outputOffset(output), false, output);
    }

    @Override
    public int paramCount() {
        return memory.getInt(record + PARAM_COUNT_OFFSET);
    }

    @Override
    public float param(int index) {
        int count = paramCount();
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("param " + index + " of " + count);
        }
        return memory.getFloat(record + paramOffset(index));
    }

    private int checkInput(int input) {
        if (input < 0 || input >= inputCount()) {
            throw new IndexOutOfBoundsException("input " + input + " of " + inputCount());
        }
        return input;
    }

    private FloatBuffer view(int entry, boolean input, int index) {
        long offset = memory.getLong(entry + TENSOR_ARENA_OFFSET);
        if (hostResident != null && offset == HostResidentTensors.IN_HOST_MEMORY) {
            return FloatBuffer.wrap(input ? hostResident.input(position, index) : hostResident.output(position, index));
        }
        // Arena offsets are multiples of RequestDescriptor.ARENA_ALIGNMENT, so whole floats.
        int count = memory.getInt(entry + TENSOR_ELEMENT_COUNT_OFFSET);
        return arena.slice((int) offset / Float.BYTES, count);
    }
}
