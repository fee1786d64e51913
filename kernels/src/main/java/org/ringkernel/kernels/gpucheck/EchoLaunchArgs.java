package org.ringkernel.kernels.gpucheck;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The {@code LaunchArgs} of one {@code rk_echo_launch}, as {@code launch.cuh} lays them out (216 bytes,
 * little-endian): the request as {@code call.cuh}'s {@code Call}, then the scratch address.
 *
 * <pre>
 *    0  inputs[0]   data (device address), count (i32), rank (i32) = 1, dims[0] (i32) = count
 *  128  outputs[0]  data (device address), count (i32)
 *  192  input_count = 1, output_count = 1, param_count = 0 (echo has no params)
 *  208  scratch     at least 256 + 40 x grid bytes of zeroed device memory; the launch writes its status
 *                   (0 when it computed the request) into the first four
 * </pre>
 */
final class EchoLaunchArgs {
    static final int LENGTH = 216;

    private static final int SCRATCH_HEADER = 256;
    private static final int SCRATCH_PER_BLOCK = 40;

    private static final int INPUT_COUNT_OFFSET = 8;
    private static final int INPUT_RANK_OFFSET = 12;
    private static final int INPUT_DIMS_OFFSET = 16;
    private static final int OUTPUTS_OFFSET = 128;
    private static final int OUTPUT_COUNT_OFFSET = OUTPUTS_OFFSET + 8;
    private static final int COUNTS_OFFSET = 192;
    private static final int SCRATCH_OFFSET = 208;

    private EchoLaunchArgs() {
    }

    /** The arguments of an echo of {@code count} floats from {@code input} to {@code output}. */
    static byte[] of(long input, long output, int count, long scratch) {
        return ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(0, input)
                .putInt(INPUT_COUNT_OFFSET, count)
                .putInt(INPUT_RANK_OFFSET, 1)
                .putInt(INPUT_DIMS_OFFSET, count)
                .putLong(OUTPUTS_OFFSET, output)
                .putInt(OUTPUT_COUNT_OFFSET, count)
                .putInt(COUNTS_OFFSET, 1)
                .putInt(COUNTS_OFFSET + 4, 1)
                .putInt(COUNTS_OFFSET + 8, 0)
                .putLong(SCRATCH_OFFSET, scratch)
                .array();
    }

    /** Scratch bytes a launch of {@code grid} blocks needs. */
    static long scratchBytes(int grid) {
        return SCRATCH_HEADER + (long) SCRATCH_PER_BLOCK * grid;
    }
}
