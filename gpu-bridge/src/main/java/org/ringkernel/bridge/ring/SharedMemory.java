package org.ringkernel.bridge.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Ordered access to memory shared between the host and a kernel, named by the ordering each call gives.
 *
 * <p>Prefixes, used everywhere in this package: {@code plain} (no ordering, for fields nobody reads
 * concurrently), {@code acquire} (a load that later loads and stores cannot move above), {@code release}
 * (a store that earlier loads and stores cannot move below). A writer fills a record with plain stores and
 * then publishes it with one release store; a reader that sees the published value through an acquire load
 * sees the whole record. The memory is little-endian on every backend, as a CUDA device reads it.
 *
 * <p>Offsets are absolute within the buffer and 64-bit fields must be 8-byte aligned: the view var handles
 * reject misaligned ordered access, which catches layout mistakes early.
 */
public final class SharedMemory {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private SharedMemory() {
    }

    /**
     * Allocates zeroed direct memory whose first byte sits on a {@link RingDescriptor#LINE_LENGTH} boundary, so
     * the layouts' line spacing is real cache-line spacing.
     */
    public static ByteBuffer allocateAligned(int length) {
        int line = RingDescriptor.LINE_LENGTH;
        // alignedSlice drops the unaligned head and rounds the end down to a line, so ask for whole lines
        // plus one line of slack for the head.
        int wholeLines = Math.addExact(length, line - 1) & -line;
        ByteBuffer raw = ByteBuffer.allocateDirect(Math.addExact(wholeLines, line));
        ByteBuffer aligned = raw.alignedSlice(line);
        aligned.limit(length);
        return aligned.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Reads a long with acquire. */
    public static long acquireLong(ByteBuffer buffer, int offset) {
        return (long) LONGS.getAcquire(buffer, offset);
    }

    /** Writes a long with release. */
    public static void releaseLong(ByteBuffer buffer, int offset, long value) {
        LONGS.setRelease(buffer, offset, value);
    }

    /** Reads an int with acquire. */
    public static int acquireInt(ByteBuffer buffer, int offset) {
        return (int) INTS.getAcquire(buffer, offset);
    }

    /** Writes an int with release. */
    public static void releaseInt(ByteBuffer buffer, int offset, int value) {
        INTS.setRelease(buffer, offset, value);
    }

    /** Reads a long with no ordering. */
    public static long plainLong(ByteBuffer buffer, int offset) {
        return buffer.getLong(offset);
    }

    /** Writes a long with no ordering. */
    public static void plainLong(ByteBuffer buffer, int offset, long value) {
        buffer.putLong(offset, value);
    }
}
