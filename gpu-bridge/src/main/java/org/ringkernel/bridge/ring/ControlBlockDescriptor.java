package org.ringkernel.bridge.ring;

/**
 * Layout of a kernel instance's control block: what the host asks and what the kernel reports.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+  0    host, once, before launch
 *  |        Magic 'RKCB' (i32)     |      Layout version (i32)     |
 *  +-------------------------------+-------------------------------+  8
 *  |        Ring capacity (i32)    |      Max batch size (i32)     |
 *  +-------------------------------+-------------------------------+  16
 *  |                 Arena length in bytes (i64)                   |
 *  +---------------------------------------------------------------+  24
 *  |                 Worker stall limit in ns (i64), 0 for none    |
 *  +---------------------------------------------------------------+  32 .. 128 pad
 *  +-------------------------------+-------------------------------+  128  host, at run time
 *  |        Command (i32)          |  Injected fault (i32)         |
 *  +-------------------------------+-------------------------------+  136 .. 256 pad
 *  +-------------------------------+-------------------------------+  256  kernel, at run time
 *  |        State (i32)            |      Error code (i32)         |
 *  +-------------------------------+-------------------------------+  264
 *  |                 Heartbeat (i64), grows while the loop runs    |
 *  +---------------------------------------------------------------+  272
 *  |                 Messages processed (i64)                      |
 *  +---------------------------------------------------------------+  280
 *  |                 Batches processed (i64)                       |
 *  +---------------------------------------------------------------+  288
 *  |                 Kernel HLC clock (i64)                        |
 *  +---------------------------------------------------------------+  296
 *  |                 Error detail (i64), e.g. the failing position |
 *  +---------------------------------------------------------------+  304 .. 384 pad = LENGTH
 * </pre>
 *
 * <p>The host writes the first two lines, the kernel the third; the 128-byte spacing keeps the sides off each
 * other's cache lines. The command is published with release and read with acquire; the kernel publishes
 * its state last, after the counters and error fields it describes, so a host that reads a state with
 * acquire sees the fields that led to it. A kernel refuses to run a block whose magic or version differs
 * from its own ({@link #LAYOUT_VERSION}); the CUDA header carries the same numbers.
 *
 * <p>The injected fault is for drills on a device kernel: the host stores one of the {@code FAULT_} codes
 * with release and the kernel acts on it when it next takes a batch ({@code FAULT_FAIL}: the kernel traps,
 * a sticky device error; {@code FAULT_HANG}: it stops beating and never finishes the batch;
 * {@code FAULT_STALL}: a worker block never acknowledges the batch while the heartbeat goes on). A fault is
 * armed once per launch; the CPU loop takes its faults from its thread's handle instead.
 *
 * <p>The worker stall limit bounds how long a device kernel's block 0 waits for the other blocks to finish a
 * batch: past it the kernel reports FAILED with {@code WORKER_STALLED} and the number of blocks that did not
 * finish as error detail, instead of beating forever beside a stuck block.
 */
public final class ControlBlockDescriptor {
    /** The magic number, {@code RKCB} in ASCII. */
    public static final int MAGIC = 0x524B4342;
    /** Bump on any change to this class, {@link RingDescriptor}, {@link RequestDescriptor} or {@link CompletionDescriptor}. */
    public static final int LAYOUT_VERSION = 3;

    /** Offset of the magic number (i32). */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the layout version (i32). */
    public static final int LAYOUT_VERSION_OFFSET = 4;
    /** Offset of the ring capacity (i32). */
    public static final int CAPACITY_OFFSET = 8;
    /** Offset of the max batch size (i32). */
    public static final int MAX_BATCH_OFFSET = 12;
    /** Offset of the arena length in bytes (i64). */
    public static final int ARENA_LENGTH_OFFSET = 16;
    /** Offset of the worker stall limit in nanoseconds (i64). */
    public static final int WORKER_STALL_LIMIT_OFFSET = ARENA_LENGTH_OFFSET + Long.BYTES;

    /** Offset of the line the host writes at run time. */
    public static final int HOST_LINE_OFFSET = RingDescriptor.LINE_LENGTH;
    /** Offset of the command (i32). */
    public static final int COMMAND_OFFSET = HOST_LINE_OFFSET;
    /** Offset of the injected fault (i32). */
    public static final int INJECTED_FAULT_OFFSET = COMMAND_OFFSET + Integer.BYTES;

    /** Injected fault codes. */
    public static final int FAULT_NONE = 0;
    /** The kernel traps, a sticky device error. */
    public static final int FAULT_FAIL = 1;
    /** The kernel stops beating and never finishes the batch. */
    public static final int FAULT_HANG = 2;
    /** A worker block never acknowledges the batch while the heartbeat goes on. */
    public static final int FAULT_STALL = 3;

    /** Offset of the line the kernel writes. */
    public static final int KERNEL_LINE_OFFSET = 2 * RingDescriptor.LINE_LENGTH;
    /** Offset of the state (i32). */
    public static final int STATE_OFFSET = KERNEL_LINE_OFFSET;
    /** Offset of the error code (i32). */
    public static final int ERROR_CODE_OFFSET = STATE_OFFSET + Integer.BYTES;
    /** Offset of the heartbeat (i64). */
    public static final int HEARTBEAT_OFFSET = ERROR_CODE_OFFSET + Integer.BYTES;
    /** Offset of the count of messages processed (i64). */
    public static final int MESSAGES_OFFSET = HEARTBEAT_OFFSET + Long.BYTES;
    /** Offset of the count of batches processed (i64). */
    public static final int BATCHES_OFFSET = MESSAGES_OFFSET + Long.BYTES;
    /** Offset of the kernel's HLC clock (i64). */
    public static final int HLC_OFFSET = BATCHES_OFFSET + Long.BYTES;
    /** Offset of the error detail (i64). */
    public static final int ERROR_DETAIL_OFFSET = HLC_OFFSET + Long.BYTES;

    /** Length of a control block. */
    public static final int LENGTH = 3 * RingDescriptor.LINE_LENGTH;

    private ControlBlockDescriptor() {
    }
}
