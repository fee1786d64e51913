package org.ringkernel.bridge.runtime;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The outputs of one completed request, read where the kernel wrote them in its arena instead of copied into new
 * arrays: for a caller that consumes a large result once (sums it, writes it to a socket, copies it into a buffer
 * of its own) and would otherwise pay for an allocation and a copy it throws away.
 *
 * <p><b>Lifetime.</b> The outputs are valid from the completion until {@link #close()}. Until then the request's
 * arena extent stays taken, and since extents are freed in the order they were taken, so does the arena of every
 * request completed after it: a view held long makes staging wait for room. Close it as soon as the outputs are
 * read, from any thread, once (later calls do nothing). Every read after {@link #close()} throws an
 * {@link IllegalStateException} naming the request, so a view kept too long fails instead of reading another
 * request's data. The view hands out no buffer of its own for the same reason: reads go through its methods.
 *
 * <p>Reads from several threads at once are safe; a close concurrent with a read is not, and is the caller's bug.
 */
public final class ArenaOutputs implements AutoCloseable {
    private final HostChannel channel;
    private final long requestId;
    private final FloatBuffer arena;
    private final int[][] shapes;
    private final int[] sizes;
    private final int[] firsts;
    private final long arenaStart;
    private final AtomicBoolean closed = new AtomicBoolean();

    ArenaOutputs(HostChannel channel, long requestId, FloatBuffer arena, int[][] shapes, int[] sizes, int[] firsts,
                 long arenaStart) {
        this.channel = channel;
        this.requestId = requestId;
        this.arena = arena;
        this.shapes = shapes;
        this.sizes = sizes;
        this.firsts = firsts;
        this.arenaStart = arenaStart;
    }

    /** How many outputs there are. */
    public int count() {
        return sizes.length;
    }

    /** A copy of the shape of output {@code output}. */
    public int[] shape(int output) {
        checkOpen();
        return shapes[checkOutput(output)].clone();
    }

    /** The element count of output {@code output}. */
    public int size(int output) {
        checkOpen();
        return sizes[checkOutput(output)];
    }

    /**
     * Element {@code index} of output {@code output}, counting row-major.
     *
     * @throws IllegalStateException after {@link #close()}
     * @throws IndexOutOfBoundsException for an output or element that is not there
     */
    public float get(int output, int index) {
        checkOpen();
        int o = checkOutput(output);
        return arena.get(firsts[o] + Objects.checkIndex(index, sizes[o]));
    }

    /**
     * Copies output {@code output} into {@code target} from {@code offset}.
     *
     * @throws IllegalStateException after {@link #close()}
     * @throws IndexOutOfBoundsException when {@code target} has no room for it from {@code offset}
     */
    public void copyTo(int output, float[] target, int offset) {
        checkOpen();
        int o = checkOutput(output);
        arena.get(firsts[o], target, offset, sizes[o]);
    }

    /**
     * Copies output {@code output} into {@code target} at its position, which advances past it.
     *
     * @throws IllegalStateException after {@link #close()}
     * @throws java.nio.BufferOverflowException when {@code target} has less room than the output
     */
    public void copyTo(int output, FloatBuffer target) {
        checkOpen();
        int o = checkOutput(output);
        target.put(arena.slice(firsts[o], sizes[o]));
    }

    /** Hands the arena extent back; reads fail from now on. Idempotent, from any thread. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            channel.unpin(this);
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }

    long arenaStart() {
        return arenaStart;
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the outputs of request " + requestId + " were closed; their arena "
                    + "may hold another request's data by now: read them before close()");
        }
    }

    private int checkOutput(int output) {
        if (output < 0 || output >= sizes.length) {
            throw new IndexOutOfBoundsException("output " + output + " of " + sizes.length);
        }
        return output;
    }

    @Override
    public String toString() {
        return "ArenaOutputs[request " + requestId + ", sizes " + Arrays.toString(sizes) + (closed.get() ? ", closed]" : "]");
    }
}
