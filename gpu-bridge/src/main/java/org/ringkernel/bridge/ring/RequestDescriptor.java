package org.ringkernel.bridge.ring;

import java.nio.ByteBuffer;

/**
 * Layout of one request record in the H2K ring: what to compute, and where its inputs and outputs live in
 * the data arena. Offsets are relative to the start of the record; all integers little-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+  0
 *  |                 Sequence stamp = position + 1 (i64)           |
 *  +---------------------------------------------------------------+  8
 *  |                 Request id (i64)                              |
 *  +---------------------------------------------------------------+  16
 *  |                 HLC timestamp of the host (i64)               |
 *  +-------------------------------+-------------------------------+  24
 *  |        Input count (i32)      |       Output count (i32)      |
 *  +-------------------------------+-------------------------------+  32
 *  |        Param count (i32)      |       Flags (i32)             |
 *  +-------------------------------+-------------------------------+  40
 *  |                 Params: f32[MAX_PARAMS]                       |
 *  +---------------------------------------------------------------+  72
 *  |                 Reserved (i64)                                |
 *  +---------------------------------------------------------------+  80
 *  |  Input 0..MAX_INPUTS-1, INPUT_LENGTH bytes each:              |
 *  |    +0  arena offset (i64)                                     |
 *  |    +8  element count (i32)   +12 rank (i32)                  |
 *  |    +16 dims: i32[MAX_RANK], unused dims zero                  |
 *  +---------------------------------------------------------------+  208
 *  |  Output 0..MAX_OUTPUTS-1, OUTPUT_LENGTH bytes each:           |
 *  |    +0  arena offset (i64)                                     |
 *  |    +8  element count (i32)   +12 reserved (i32)              |
 *  +---------------------------------------------------------------+  240
 *  |                 Reserved (16 bytes)                           |
 *  +---------------------------------------------------------------+  256 = LENGTH
 * </pre>
 *
 * <p>Arena offsets are relative to the arena's base and {@link #ARENA_ALIGNMENT}-aligned; every tensor is
 * float32. On a loop that computes on the host (the CPU backend) an arena offset of -1 says the tensor stayed in
 * host memory, on the Java heap, where the loop finds it by the record's ring position
 * ({@code HostResidentTensors}); a GPU never sees one. A record is only read after the ring's producer position was seen with acquire
 * ({@link RingDescriptor}); {@link #violation} is the check both sides apply before trusting one.
 *
 * <p>Flags: {@link #FLAG_LAUNCH_PATH} marks a request the host computes on the launch path itself (too large
 * for one block of a persistent kernel); the kernel takes it in its batch like any other but neither computes
 * nor completes it, and the host writes its completion.
 */
public final class RequestDescriptor {
    /** The most inputs a request carries. */
    public static final int MAX_INPUTS = 4;
    /** The most outputs a request names. */
    public static final int MAX_OUTPUTS = 2;
    /** The most dimensions an input has. */
    public static final int MAX_RANK = 4;
    /** The most params a request carries. */
    public static final int MAX_PARAMS = 8;
    /** Alignment of every tensor in the arena: one cache line, and enough for vector loads on a device. */
    public static final int ARENA_ALIGNMENT = 64;
    /** Flag: the host runs this request on the launch path and completes it. */
    public static final int FLAG_LAUNCH_PATH = 1;

    /** Offset of the sequence stamp (i64). */
    public static final int SEQUENCE_OFFSET = RingDescriptor.SEQUENCE_OFFSET;
    /** Offset of the request id (i64). */
    public static final int REQUEST_ID_OFFSET;
    /** Offset of the host's HLC timestamp (i64). */
    public static final int HLC_OFFSET;
    /** Offset of the input count (i32). */
    public static final int INPUT_COUNT_OFFSET;
    /** Offset of the output count (i32). */
    public static final int OUTPUT_COUNT_OFFSET;
    /** Offset of the param count (i32). */
    public static final int PARAM_COUNT_OFFSET;
    /** Offset of the flags (i32). */
    public static final int FLAGS_OFFSET;
    /** Offset of the params (f32 each). */
    public static final int PARAMS_OFFSET;
    /** Offset of input 0's entry. */
    public static final int INPUTS_OFFSET;
    /** Offset of output 0's entry. */
    public static final int OUTPUTS_OFFSET;
    /** Length of a record. */
    public static final int LENGTH;

    /** Offset in an input or output entry of its arena offset (i64). */
    public static final int TENSOR_ARENA_OFFSET = 0;
    /** Offset in an input or output entry of its element count (i32). */
    public static final int TENSOR_ELEMENT_COUNT_OFFSET = 8;
    /** Offset in an input entry of its rank (i32). */
    public static final int INPUT_RANK_OFFSET = 12;
    /** Offset in an input entry of its dims (i32 each). */
    public static final int INPUT_DIMS_OFFSET = 16;
    /** Length of an input entry. */
    public static final int INPUT_LENGTH = INPUT_DIMS_OFFSET + MAX_RANK * Integer.BYTES;
    /** Length of an output entry. */
    public static final int OUTPUT_LENGTH = 16;

    static {
        int offset = SEQUENCE_OFFSET + Long.BYTES;
        REQUEST_ID_OFFSET = offset;
        offset += Long.BYTES;
        HLC_OFFSET = offset;
        offset += Long.BYTES;
        INPUT_COUNT_OFFSET = offset;
        offset += Integer.BYTES;
        OUTPUT_COUNT_OFFSET = offset;
        offset += Integer.BYTES;
        PARAM_COUNT_OFFSET = offset;
        offset += Integer.BYTES;
        FLAGS_OFFSET = offset;
        offset += Integer.BYTES;
        PARAMS_OFFSET = offset;
        offset += MAX_PARAMS * Float.BYTES;
        offset += Long.BYTES; // reserved, keeps the tensor table 16-byte aligned
        INPUTS_OFFSET = offset;
        offset += MAX_INPUTS * INPUT_LENGTH;
        OUTPUTS_OFFSET = offset;
        offset += MAX_OUTPUTS * OUTPUT_LENGTH;
        offset += 16; // reserved, rounds the record to four 64-byte lines
        LENGTH = offset;
    }

    private RequestDescriptor() {
    }

    /** Offset of input {@code input}'s entry. */
    public static int inputOffset(int input) {
        return INPUTS_OFFSET + input * INPUT_LENGTH;
    }

    /** Offset of output {@code output}'s entry. */
    public static int outputOffset(int output) {
        return OUTPUTS_OFFSET + output * OUTPUT_LENGTH;
    }

    /** Offset of param {@code param}. */
    public static int paramOffset(int param) {
        return PARAMS_OFFSET + param * Float.BYTES;
    }

    /**
     * Checks the record at {@code record} against the arena it points into.
     *
     * @return {@code null} when the record is well formed, else what is wrong with it, naming the field
     */
    public static String violation(ByteBuffer buffer, int record, long arenaLength) {
        return violation(buffer, record, arenaLength, 0, null);
    }

    /** Checks one tensor a record places outside the arena, in memory its reader has besides it. */
    @FunctionalInterface
    public interface OutsideExtentCheck {
        /**
         * @return {@code null} when input (or output) {@code index}, of {@code count} elements, is where the record
         *     says, else what is wrong
         */
        String violation(boolean input, int index, int count);
    }

    /**
     * Checks the record as {@link #violation(ByteBuffer, int, long)} does, except that an input or output whose arena
     * offset is {@code outsideOffset} is checked by {@code outside} instead: a reader with memory besides the arena
     * (a CPU loop's host-resident tensors) accepts the tensors placed there.
     */
    public static String violation(ByteBuffer buffer, int record, long arenaLength, long outsideOffset,
                                   OutsideExtentCheck outside) {
        int inputs = buffer.getInt(record + INPUT_COUNT_OFFSET);
        int outputs = buffer.getInt(record + OUTPUT_COUNT_OFFSET);
        int params = buffer.getInt(record + PARAM_COUNT_OFFSET);
        if (inputs < 0 || inputs > MAX_INPUTS) {
            return "input count " + inputs + " is outside [0, " + MAX_INPUTS + "]";
        }
        if (outputs < 0 || outputs > MAX_OUTPUTS) {
            return "output count " + outputs + " is outside [0, " + MAX_OUTPUTS + "]";
        }
        if (params < 0 || params > MAX_PARAMS) {
            return "param count " + params + " is outside [0, " + MAX_PARAMS + "]";
        }
        for (int i = 0; i < inputs; i++) {
            int entry = record + inputOffset(i);
            String bad = inputShapeViolation(buffer, entry);
            if (bad == null) {
                bad = extentViolation(buffer, entry, arenaLength, outsideOffset, outside, true, i);
            }
            if (bad != null) {
                return "input " + i + ": " + bad;
            }
        }
        for (int o = 0; o < outputs; o++) {
            String bad = extentViolation(buffer, record + outputOffset(o), arenaLength, outsideOffset, outside, false, o);
            if (bad != null) {
                return "output " + o + ": " + bad;
            }
        }
        return null;
    }

    private static String inputShapeViolation(ByteBuffer buffer, int entry) {
        int rank = buffer.getInt(entry + INPUT_RANK_OFFSET);
        int count = buffer.getInt(entry + TENSOR_ELEMENT_COUNT_OFFSET);
        if (rank < 1 || rank > MAX_RANK) {
            return "rank " + rank + " is outside [1, " + MAX_RANK + "]";
        }
        long product = 1;
        for (int d = 0; d < rank; d++) {
            int dim = buffer.getInt(entry + INPUT_DIMS_OFFSET + d * Integer.BYTES);
            if (dim < 1) {
                return "dimension " + d + " is " + dim + ", must be at least 1";
            }
            product *= dim;
            if (product > Integer.MAX_VALUE) {
                return "shape holds more than " + Integer.MAX_VALUE + " elements";
            }
        }
        if (product != count) {
            return "element count " + count + " differs from the product of its dimensions " + product;
        }
        return null;
    }

    private static String extentViolation(ByteBuffer buffer, int entry, long arenaLength, long outsideOffset,
                                          OutsideExtentCheck outside, boolean input, int index) {
        long offset = buffer.getLong(entry + TENSOR_ARENA_OFFSET);
        int count = buffer.getInt(entry + TENSOR_ELEMENT_COUNT_OFFSET);
        if (outside != null && offset == outsideOffset && count >= 0) {
            return outside.violation(input, index, count);
        }
        return extentViolation(offset, count, arenaLength);
    }

    private static String extentViolation(long arenaOffset, int count, long arenaLength) {
        if (count < 0) {
            return "element count " + count + " is negative";
        }
        if (arenaOffset < 0 || arenaOffset % ARENA_ALIGNMENT != 0) {
            return "arena offset " + arenaOffset + " is negative or not " + ARENA_ALIGNMENT + "-byte aligned";
        }
        long end = arenaOffset + (long) count * Float.BYTES;
        if (end > arenaLength) {
            return "bytes [" + arenaOffset + ", " + end + ") run past the arena's " + arenaLength + " bytes";
        }
        return null;
    }
}
