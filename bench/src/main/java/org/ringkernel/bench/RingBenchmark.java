package org.ringkernel.bench;

import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.jctools.queues.SpscArrayQueue;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.ringkernel.bridge.ring.RingDescriptor;
import org.ringkernel.bridge.ring.RingReader;
import org.ringkernel.bridge.ring.RingWriter;
import org.ringkernel.bridge.ring.SharedMemory;

/**
 * One producer thread and one consumer thread passing messages of 16 floats through a single-producer
 * single-consumer queue: our ring ({@link RingWriter}/{@link RingReader} on {@link SharedMemory}) against
 * Agrona's {@link OneToOneRingBuffer}, JCTools' {@link SpscArrayQueue} and {@link ArrayBlockingQueue}.
 *
 * <p>Each JMH group runs the two threads at once. The producer offers one message per call and returns at
 * once when the queue is full; the consumer takes up to {@link #POLL_LIMIT} ready messages per call and
 * returns at once when there are none; either side yields its core before returning empty-handed. The
 * {@code polled} counter, messages taken per second, is the figure to compare; the group's primary score also
 * counts calls that found the queue full or empty.
 *
 * <p>The two byte rings copy the payload into their slots and back out, claim and publish each message on its
 * own (what the host does at low load), and let the consumer hand back a whole run of slots at once (what the
 * device loop does). The two object queues pass a reference to one preallocated {@code float[16]} that the
 * consumer reads.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// Agrona 2 reaches jdk.internal.misc.Unsafe, which the JDK exports only on request.
@Fork(value = 2, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class RingBenchmark {
    static final int FLOATS = Payloads.SMALL;
    static final int PAYLOAD_BYTES = FLOATS * Float.BYTES;
    /** Messages in flight at most, for every queue but Agrona's, whose capacity is in bytes. */
    static final int CAPACITY = 1024;
    /** Agrona's ring: the power of two of bytes closest to {@link #CAPACITY} records of 72 bytes (910 records). */
    static final int AGRONA_BYTES = 64 * 1024;
    static final int POLL_LIMIT = 64;
    private static final int MESSAGE_TYPE = 1;

    /** Messages the consumer took; JMH reports it per second. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Polled {
        public long polled;

        @Setup(Level.Iteration)
        public void reset() {
            polled = 0;
        }
    }

    /** Our ring: stamp first, then the floats, in slots of {@link #SLOT_LENGTH} bytes. */
    @State(Scope.Group)
    public static class OurRing {
        static final int FLOATS_OFFSET = RingDescriptor.SEQUENCE_OFFSET + Long.BYTES;
        static final int SLOT_LENGTH = FLOATS_OFFSET + PAYLOAD_BYTES;

        final float[] payload = Payloads.small();
        ByteBuffer memory;
        RingWriter writer;
        RingReader reader;

        @Setup
        public void setUp() {
            memory = SharedMemory.allocateAligned(RingDescriptor.ringLength(CAPACITY, SLOT_LENGTH));
            writer = new RingWriter(memory, 0, CAPACITY, SLOT_LENGTH);
            reader = new RingReader(memory, 0, CAPACITY, SLOT_LENGTH);
        }
    }

    @Benchmark
    @Group("ringkernel")
    @GroupThreads(1)
    public boolean ringkernelOffer(OurRing ring) {
        RingWriter writer = ring.writer;
        if (writer.claimable(1) == 0) {
            return backOff();
        }
        long position = writer.position();
        int record = writer.recordOffset(position) + OurRing.FLOATS_OFFSET;
        ByteBuffer memory = ring.memory;
        float[] payload = ring.payload;
        for (int i = 0; i < FLOATS; i++) {
            memory.putFloat(record + i * Float.BYTES, payload[i]);
        }
        writer.stamp(position);
        writer.publish(1);
        return true;
    }

    @Benchmark
    @Group("ringkernel")
    @GroupThreads(1)
    public void ringkernelPoll(OurRing ring, Polled polled, Blackhole blackhole) {
        RingReader reader = ring.reader;
        int ready = reader.available(POLL_LIMIT);
        if (ready == 0) {
            backOff();
            return;
        }
        ByteBuffer memory = ring.memory;
        long first = reader.position();
        float sum = 0;
        for (int m = 0; m < ready; m++) {
            if (!reader.stampMatches(first + m)) {
                throw new IllegalStateException("record " + (first + m) + " carries a stamp of another position");
            }
            int record = reader.recordOffset(first + m) + OurRing.FLOATS_OFFSET;
            for (int i = 0; i < FLOATS; i++) {
                sum += memory.getFloat(record + i * Float.BYTES);
            }
        }
        reader.release(ready);
        blackhole.consume(sum);
        polled.polled += ready;
    }

    /** Agrona's ring, written in place through tryClaim/commit, as ours is. */
    @State(Scope.Group)
    public static class AgronaRing {
        final float[] payload = Payloads.small();
        final MessageHandler handler = this::onMessage;
        OneToOneRingBuffer ring;
        /** Sum of the floats read by the current poll; the consumer thread alone touches it. */
        float sum;

        @Setup
        public void setUp() {
            ring = new OneToOneRingBuffer(new UnsafeBuffer(
                    ByteBuffer.allocateDirect(AGRONA_BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
        }

        private void onMessage(int type, MutableDirectBuffer buffer, int index, int length) {
            for (int i = 0; i < FLOATS; i++) {
                sum += buffer.getFloat(index + i * Float.BYTES);
            }
        }
    }

    @Benchmark
    @Group("agrona")
    @GroupThreads(1)
    public boolean agronaOffer(AgronaRing state) {
        OneToOneRingBuffer ring = state.ring;
        int index = ring.tryClaim(MESSAGE_TYPE, PAYLOAD_BYTES);
        if (index < 0) {
            return backOff();
        }
        MutableDirectBuffer buffer = ring.buffer();
        float[] payload = state.payload;
        for (int i = 0; i < FLOATS; i++) {
            buffer.putFloat(index + i * Float.BYTES, payload[i]);
        }
        ring.commit(index);
        return true;
    }

    @Benchmark
    @Group("agrona")
    @GroupThreads(1)
    public void agronaPoll(AgronaRing state, Polled polled, Blackhole blackhole) {
        state.sum = 0;
        int read = state.ring.read(state.handler, POLL_LIMIT);
        if (read == 0) {
            backOff();
            return;
        }
        polled.polled += read;
        blackhole.consume(state.sum);
    }

    /** JCTools' single-producer single-consumer array queue. */
    @State(Scope.Group)
    public static class JctoolsQueue {
        final float[] payload = Payloads.small();
        final Queue<float[]> queue = new SpscArrayQueue<>(CAPACITY);
    }

    @Benchmark
    @Group("jctools")
    @GroupThreads(1)
    public boolean jctoolsOffer(JctoolsQueue state) {
        return state.queue.offer(state.payload) || backOff();
    }

    @Benchmark
    @Group("jctools")
    @GroupThreads(1)
    public void jctoolsPoll(JctoolsQueue state, Polled polled, Blackhole blackhole) {
        polled.polled += drain(state.queue, blackhole);
    }

    /** The JDK's bounded blocking queue, used without blocking (offer and poll). */
    @State(Scope.Group)
    public static class BlockingQueue {
        final float[] payload = Payloads.small();
        final Queue<float[]> queue = new ArrayBlockingQueue<>(CAPACITY);
    }

    @Benchmark
    @Group("arrayBlockingQueue")
    @GroupThreads(1)
    public boolean arrayBlockingQueueOffer(BlockingQueue state) {
        return state.queue.offer(state.payload) || backOff();
    }

    @Benchmark
    @Group("arrayBlockingQueue")
    @GroupThreads(1)
    public void arrayBlockingQueuePoll(BlockingQueue state, Polled polled, Blackhole blackhole) {
        polled.polled += drain(state.queue, blackhole);
    }

    private static int drain(Queue<float[]> queue, Blackhole blackhole) {
        int taken = 0;
        float sum = 0;
        float[] message;
        while (taken < POLL_LIMIT && (message = queue.poll()) != null) {
            for (int i = 0; i < FLOATS; i++) {
                sum += message[i];
            }
            taken++;
        }
        if (taken == 0) {
            backOff();
        } else {
            blackhole.consume(sum);
        }
        return taken;
    }

    /**
     * What every side does when the queue is full or empty: give up the core. With two cores and other work on
     * the machine, a thread that spins on a full queue can hold the only core its peer could drain it on.
     *
     * @return false, the result of an offer that found no room
     */
    private static boolean backOff() {
        Thread.yield();
        return false;
    }
}
