package org.ringkernel.bridge.runtime;

import java.util.Arrays;
import org.ringkernel.bridge.ring.RequestDescriptor;

/**
 * The large array tensors of the requests in a CPU loop's ring that stay where they lie on the Java heap instead of
 * being copied through the arena: a loop on a host thread can read the caller's input arrays and write the result
 * arrays as they are, which saves a copy in and a copy out of every element. A GPU reads only its arena, so only
 * executions that run their loop on the host offer this table ({@link DeviceExecution#hostResidentTensors()}).
 *
 * <p>A request record names such a tensor by {@link #IN_HOST_MEMORY} in place of its arena offset (the element count,
 * rank and dimensions stay in the record as for any tensor), and this table holds the array, by ring position and
 * index. The producer fills a position's entries before it publishes the request (its release of the producer
 * position orders them before the loop's acquire); the loop reads them while it computes the request and clears them
 * before it hands the request slot back, so the producer never writes a slot the loop still reads.
 */
public final class HostResidentTensors {
    /** What an input or output entry of a request record holds as its arena offset when its array is here. */
    public static final long IN_HOST_MEMORY = -1;
    /**
     * The smallest tensor, in elements, left in host memory: 256 KiB of floats. Below it a copy through the arena
     * costs little and keeps the loop's data together; above it the copies cost as much as a simple kernel.
     */
    public static final int MIN_ELEMENTS = 1 << 16;

    private final float[][][] inputs;
    private final float[][][] outputs;
    private final int mask;

    /** A table for a ring of {@code capacity} requests, a power of two. */
    public HostResidentTensors(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring capacity " + capacity + " is not a power of two");
        }
        this.inputs = new float[capacity][][];
        this.outputs = new float[capacity][][];
        this.mask = capacity - 1;
    }

    /** Whether a tensor of {@code elements} is worth leaving in host memory. */
    static boolean worthIt(int elements) {
        return elements >= MIN_ELEMENTS;
    }

    /** Leaves input {@code index} of the request at {@code position} in host memory, as {@code data}. Producer only. */
    public void putInput(long position, int index, float[] data) {
        slot(inputs, position)[index] = data;
    }

    /** Has the loop write output {@code index} of the request at {@code position} into {@code data}. Producer only. */
    public void putOutput(long position, int index, float[] data) {
        slot(outputs, position)[index] = data;
    }

    private float[][] slot(float[][][] table, long position) {
        int at = (int) (position & mask);
        if (table[at] == null) {
            table[at] = new float[Math.max(RequestDescriptor.MAX_INPUTS, RequestDescriptor.MAX_OUTPUTS)][];
        }
        return table[at];
    }

    /** Input {@code index} of the request at {@code position}; null when it is in the arena. */
    public float[] input(long position, int index) {
        float[][] slot = inputs[(int) (position & mask)];
        return slot == null || index >= slot.length ? null : slot[index];
    }

    /** Output {@code index} of the request at {@code position}; null when it is in the arena. */
    public float[] output(long position, int index) {
        float[][] slot = outputs[(int) (position & mask)];
        return slot == null || index >= slot.length ? null : slot[index];
    }

    /** Forgets the arrays of the request at {@code position}; the loop calls it before it hands the slot back. */
    public void clear(long position) {
        int at = (int) (position & mask);
        if (inputs[at] != null) {
            Arrays.fill(inputs[at], null);
        }
        if (outputs[at] != null) {
            Arrays.fill(outputs[at], null);
        }
    }

    /**
     * What is wrong with a record's claim that a tensor of {@code count} elements is here, or null when it is: for
     * the loop's check of each record before it trusts one.
     */
    public String violation(long position, boolean input, int index, int count) {
        float[] data = input ? input(position, index) : output(position, index);
        if (data == null) {
            return "names host memory, but nothing was left there";
        }
        if (data.length != count) {
            return "names " + count + " elements of host memory, but " + data.length + " were left there";
        }
        return null;
    }
}
