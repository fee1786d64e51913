package org.ringkernel.bridge.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import org.ringkernel.bridge.kernel.InputCheck;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * The check of the input values that a request leaves in host memory ({@link HostResidentTensors}), which no copy
 * into the arena makes on the way. The check is a pass over memory of its own, so a large one is cut into chunks
 * that the common fork-join pool's threads and the producer take one at a time: the pool starts while the producer
 * allocates the request's host-resident outputs (the JVM zeroes a new array as it allocates it, a pass over memory
 * that needs nothing from the check), and the producer takes the chunks still left once it has allocated. A small
 * check, or one with nothing beside it, runs on the producer's thread alone, where a hand-over would cost more
 * than it saves. The producer never waits for a chunk nobody took: a busy pool leaves them all to it.
 */
final class HostInputCheck {
    /** The fewest elements checked beside the allocation: 4 MiB of floats, a pass of about a millisecond. */
    static final int ASIDE_MIN_ELEMENTS = 1 << 20;
    /** Elements per chunk: 1 MiB of floats, small enough that the threads finish together. */
    static final int CHUNK_ELEMENTS = 1 << 18;

    private final InputCheck check;
    private final List<Chunk> chunks;
    private final AtomicInteger next = new AtomicInteger();
    /** The lowest index of an input found holding an unacceptable value, or {@link Integer#MAX_VALUE}. */
    private final AtomicInteger rejected = new AtomicInteger(Integer.MAX_VALUE);
    /** Counts the chunks down as they are checked (or skipped); null when the producer checks them all alone. */
    private final CountDownLatch unchecked;

    /** Elements {@code [from, to)} of input {@code input}'s array. */
    private record Chunk(int input, float[] data, int from, int to) {
    }

    private HostInputCheck(InputCheck check, List<Chunk> chunks, boolean shared) {
        this.check = check;
        this.chunks = chunks;
        this.unchecked = shared ? new CountDownLatch(chunks.size()) : null;
        if (shared) {
            int helpers = Math.min(ForkJoinPool.getCommonPoolParallelism(), chunks.size() - 1);
            for (int i = 0; i < helpers; i++) {
                ForkJoinPool.commonPool().execute(this::checkChunks);
            }
        }
    }

    /**
     * Begins the check of the inputs marked in {@code inHost}.
     *
     * @param check the request's input check
     * @param inputs the request's inputs
     * @param inHost which inputs stay in host memory, by index; those are held in arrays
     * @param allocating whether the producer allocates outputs before it asks for the result
     */
    static HostInputCheck begin(InputCheck check, List<Tensor> inputs, boolean[] inHost, boolean allocating) {
        List<Chunk> chunks = new ArrayList<>();
        long elements = 0;
        for (int i = 0; i < inHost.length && !check.isNone(); i++) {
            if (inHost[i]) {
                float[] data = inputs.get(i).data();
                elements += data.length;
                for (int from = 0; from < data.length; from += CHUNK_ELEMENTS) {
                    chunks.add(new Chunk(i, data, from, Math.min(data.length, from + CHUNK_ELEMENTS)));
                }
            }
        }
        return new HostInputCheck(check, chunks, allocating && chunks.size() > 1 && elements >= ASIDE_MIN_ELEMENTS);
    }

    /**
     * The index of the first host-resident input holding an unacceptable value, or -1 when there is none. Checks the
     * chunks no thread has taken yet, then waits for those others are checking.
     */
    int firstRejected() {
        checkChunks();
        if (unchecked != null) {
            boolean interrupted = false;
            while (true) {
                try {
                    unchecked.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        int first = rejected.get();
        return first == Integer.MAX_VALUE ? -1 : first;
    }

    /** Takes chunks until none is left; a chunk of an input after one already rejected is skipped. */
    private void checkChunks() {
        for (int at = next.getAndIncrement(); at < chunks.size(); at = next.getAndIncrement()) {
            Chunk chunk = chunks.get(at);
            try {
                if (chunk.input() < rejected.get() && !check.accepts(chunk.data(), chunk.from(), chunk.to())) {
                    rejected.accumulateAndGet(chunk.input(), Math::min);
                }
            } finally {
                if (unchecked != null) {
                    unchecked.countDown();
                }
            }
        }
    }
}
