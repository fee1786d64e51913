package org.ringkernel.bridge.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The parameters of one {@code rk_<id>_launch}: {@code LaunchArgs} of {@code launch.cuh}, passed by value,
 * 216 bytes, little-endian, every pointer a device address.
 *
 * <pre>
 *   offset  size  field
 *        0   128  inputs[4]   +0 data (u64), +8 element count (i32), +12 rank (i32), +16 dims (i32[4], unused 0)
 *      128    32  outputs[2]  +0 data (u64), +8 element count (i32), +12 reserved
 *      160    32  params      f32[8], in the order of the kernel's signature
 *      192     4  input count
 *      196     4  output count
 *      200     4  param count
 *      208     8  scratch     device memory of at least {@link #scratchBytes} for the grid, zeroed once;
 *                             the launch writes its status (0 when it computed the request) into the first 4
 * </pre>
 *
 * The first 208 bytes are {@code call.cuh}'s {@code Call}; its static assertions hold the same offsets.
 */
public final class LaunchArgs {
    /** Bytes of the parameters. */
    public static final int LENGTH = 216;
    static final int MAX_INPUTS = 4;
    static final int MAX_OUTPUTS = 2;
    static final int MAX_RANK = 4;
    static final int MAX_PARAMS = 8;
    private static final int INPUT_LENGTH = 32;
    private static final int OUTPUTS_OFFSET = 128;
    private static final int OUTPUT_LENGTH = 16;
    private static final int PARAMS_OFFSET = 160;
    private static final int COUNTS_OFFSET = 192;
    private static final int SCRATCH_OFFSET = 208;
    private static final int SCRATCH_HEADER = 256;
    private static final int SCRATCH_PER_BLOCK = 40;

    private final ByteBuffer bytes = ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    private int inputs;
    private int outputs;
    private int params;

    /** Adds the next input: {@code count} floats at device address {@code data}, shaped {@code dims}. */
    public LaunchArgs input(long data, int count, int... dims) {
        if (inputs == MAX_INPUTS || dims.length < 1 || dims.length > MAX_RANK) {
            throw new IllegalArgumentException("input " + inputs + " of rank " + dims.length + ": at most "
                    + MAX_INPUTS + " inputs of rank 1 to " + MAX_RANK);
        }
        int entry = inputs * INPUT_LENGTH;
        bytes.putLong(entry, data).putInt(entry + 8, count).putInt(entry + 12, dims.length);
        for (int d = 0; d < dims.length; d++) {
            bytes.putInt(entry + 16 + d * Integer.BYTES, dims[d]);
        }
        inputs++;
        return this;
    }

    /** Adds the next output: {@code count} floats at device address {@code data}. */
    public LaunchArgs output(long data, int count) {
        if (outputs == MAX_OUTPUTS) {
            throw new IllegalArgumentException("at most " + MAX_OUTPUTS + " outputs");
        }
        int entry = OUTPUTS_OFFSET + outputs * OUTPUT_LENGTH;
        bytes.putLong(entry, data).putInt(entry + 8, count);
        outputs++;
        return this;
    }

    /** Adds the next param. */
    public LaunchArgs param(float value) {
        if (params == MAX_PARAMS) {
            throw new IllegalArgumentException("at most " + MAX_PARAMS + " params");
        }
        bytes.putFloat(PARAMS_OFFSET + params * Float.BYTES, value);
        params++;
        return this;
    }

    /** The parameters with {@code scratch} as the scratch address, ready for {@code cuLaunchKernel}. */
    public byte[] withScratch(long scratch) {
        bytes.putInt(COUNTS_OFFSET, inputs).putInt(COUNTS_OFFSET + 4, outputs).putInt(COUNTS_OFFSET + 8, params)
                .putLong(SCRATCH_OFFSET, scratch);
        return bytes.array().clone();
    }

    /** Bytes of scratch a launch of {@code grid} blocks needs. */
    public static long scratchBytes(int grid) {
        return SCRATCH_HEADER + (long) SCRATCH_PER_BLOCK * grid;
    }
}
