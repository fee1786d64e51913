package org.ringkernel.bridge.ring;

import java.nio.ByteBuffer;

/**
 * Layout of one completion record in the K2H ring; the completion of the request at H2K position {@code p}
 * is written at K2H position {@code p}. Offsets are relative to the start of the record.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+  0
 *  |     Sequence stamp = position + 1 (i64), stored last, release |
 *  +---------------------------------------------------------------+  8
 *  |                 Request id (i64)                              |
 *  +---------------------------------------------------------------+  16
 *  |                 HLC timestamp of the kernel (i64)             |
 *  +-------------------------------+-------------------------------+  24
 *  |   Status (i32, CompletionStatus)  |   Batch size (i32)        |
 *  +-------------------------------+-------------------------------+  32
 *  |                 Kernel time of the batch, nanoseconds (i64)   |
 *  +-------------------------------+-------------------------------+  40
 *  |   Path (i32, PATH_RING or PATH_LAUNCH)  |  Reserved (20 bytes) |
 *  +---------------------------------------------------------------+  64 = LENGTH
 * </pre>
 *
 * <p>The path says how the request was computed: by the ring kernel's loop ({@link #PATH_RING}) or by an
 * ordinary launch over the whole device ({@link #PATH_LAUNCH}), so a caller can see which ran.
 *
 * <p>Outputs are not in the record: they were written to the arena extents the request named, before the
 * stamp was released.
 */
public final class CompletionDescriptor {
    /** Offset of the sequence stamp (i64). */
    public static final int SEQUENCE_OFFSET = RingDescriptor.SEQUENCE_OFFSET;
    /** Offset of the request id (i64). */
    public static final int REQUEST_ID_OFFSET;
    /** Offset of the kernel's HLC timestamp (i64). */
    public static final int HLC_OFFSET;
    /** Offset of the status (i32, a {@code CompletionStatus} code). */
    public static final int STATUS_OFFSET;
    /** Offset of the batch size (i32). */
    public static final int BATCH_SIZE_OFFSET;
    /** Offset of the batch's kernel time in nanoseconds (i64). */
    public static final int KERNEL_NANOS_OFFSET;
    /** Offset of the path (i32). */
    public static final int PATH_OFFSET;
    /** Length of a record. */
    public static final int LENGTH;

    /** Path codes. */
    public static final int PATH_RING = 0;
    /** The request was computed by an ordinary launch over the whole device. */
    public static final int PATH_LAUNCH = 1;

    static {
        int offset = SEQUENCE_OFFSET + Long.BYTES;
        REQUEST_ID_OFFSET = offset;
        offset += Long.BYTES;
        HLC_OFFSET = offset;
        offset += Long.BYTES;
        STATUS_OFFSET = offset;
        offset += Integer.BYTES;
        BATCH_SIZE_OFFSET = offset;
        offset += Integer.BYTES;
        KERNEL_NANOS_OFFSET = offset;
        offset += Long.BYTES;
        PATH_OFFSET = offset;
        offset += Integer.BYTES;
        offset += 20; // reserved, rounds the record to one 64-byte line
        LENGTH = offset;
    }

    private CompletionDescriptor() {
    }

    /**
     * Writes every field of the completion record at absolute offset {@code record} but its stamp, which the
     * writer releases afterwards ({@link RingWriter#publishStamped}).
     */
    public static void write(ByteBuffer buffer, int record, long requestId, long hlc, int status, int batchSize,
                             long kernelNanos, int path) {
        buffer.putLong(record + REQUEST_ID_OFFSET, requestId);
        buffer.putLong(record + HLC_OFFSET, hlc);
        buffer.putInt(record + STATUS_OFFSET, status);
        buffer.putInt(record + BATCH_SIZE_OFFSET, batchSize);
        buffer.putLong(record + KERNEL_NANOS_OFFSET, kernelNanos);
        buffer.putInt(record + PATH_OFFSET, path);
    }
}
