package org.ringkernel.bridge.runtime;

import static org.ringkernel.bridge.ring.RequestDescriptor.*;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.ringkernel.bridge.clock.HybridLogicalClock;
import org.ringkernel.bridge.kernel.BoundRequest;
import org.ringkernel.bridge.kernel.CostModel;
import org.ringkernel.bridge.kernel.InputCheck;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.ring.ArenaAllocator;
import org.ringkernel.bridge.ring.CompletionDescriptor;
import org.ringkernel.bridge.ring.KernelMemoryLayout;
import org.ringkernel.bridge.ring.RingDescriptor;
import org.ringkernel.bridge.ring.RingReader;
import org.ringkernel.bridge.ring.RingWriter;
import org.ringkernel.bridge.ring.SharedMemory;

/**
 * The host's two ends of one kernel instance's rings.
 *
 * <p>The producer side ({@link #stage}, {@link #publish}) belongs to one thread: it copies a request's inputs
 * into the arena (checking their values on the way where the request carries an
 * {@link BoundRequest#inputCheck() input check}), writes its record into the H2K ring, and publishes every
 * staged record with one release. The consumer side ({@link #poll}, {@link #failInFlight}) belongs to one other
 * (or the same) thread: it reads completions from the K2H ring, copies outputs out of the arena (or, for a request
 * staged in place, hands them as {@link ArenaOutputs} and keeps the arena until they are closed), frees the arena
 * extent and hands the slot back. Backpressure is a {@code false} from {@link #stage}, never a lost request.
 *
 * <p>Where the execution's loop computes on the host ({@link DeviceExecution#hostResidentTensors()}), large array
 * inputs are checked but not copied, and large outputs are arrays the kernel writes and the completion hands out as
 * they are ({@link HostResidentTensors}); outputs read in place stay in the arena.
 */
public final class HostChannel {
    /** Floats checked then copied at a time: 8 KiB, well inside a first-level cache. */
    private static final int CHECKED_STRETCH = 2048;
    private final String kernelId;
    private final CostModel cost;
    private final ByteBuffer memory;
    /**
     * The arena as floats, made once: the producer and the consumer use only absolute bulk gets and puts on it
     * (never its position), each on extents the other does not touch at that time.
     */
    private final FloatBuffer arenaFloats;
    /**
     * Where a stretch of a buffer input is read to be checked, then copied on: the array checks run several times
     * faster than reading a buffer element by element, and the stretch stays in the first-level cache. Producer
     * thread only.
     */
    private final float[] stretch = new float[CHECKED_STRETCH];
    private final RingWriter requests;
    private final RingReader completions;
    private final int requestRingBase;
    private final ArenaAllocator arena;
    private final InFlightTable inFlight;
    private final HybridLogicalClock clock;
    /** The send timestamp of the records staged since the last publish: one publish is one send event. */
    private long batchStamp;
    /** The latest kernel clock read and the host reading it gave: a kernel stamps a whole batch alike. */
    private long lastKernelClock = Long.MIN_VALUE;
    private long lastHostClock;
    private final DeviceExecution execution;
    /** Where large array tensors stay in host memory, for a loop that computes on the host; null elsewhere. */
    private final HostResidentTensors hostResident;
    private final RingRouting routing;
    private long[] hostLaunched = new long[0];
    private int hostLaunchedCount;
    private final boolean poisonOutputs;
    private final OutputCheck outputCheck;
    private final List<String> outputNames;
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private int staged;
    /** Open {@link ArenaOutputs}, oldest first; also the lock of the fields below and of freeing with pins open. */
    private final ArrayDeque<ArenaOutputs> pinned = new ArrayDeque<>();
    private volatile int pinnedCount;
    /** The arena end of the latest completed request, where the arena is freed to once no outputs are pinned. */
    private volatile long completedArenaEnd;

    /**
     * @param poisonOutputs whether every output element is filled with NaN before the kernel runs
     * @param outputCheck how a completion's outputs are checked for elements the kernel did not write
     * @param outputNames the kernel's output names in order, for the message of that check
     */
    HostChannel(String kernelId, CostModel cost, ByteBuffer memory, KernelMemoryLayout layout, HybridLogicalClock clock,
                DeviceExecution execution, boolean poisonOutputs, OutputCheck outputCheck, List<String> outputNames) {
        this.kernelId = kernelId;
        this.cost = cost;
        this.memory = memory;
        this.arenaFloats = memory.slice(layout.arenaOffset(), layout.arenaLength()).order(memory.order())
                .asFloatBuffer();
        this.requestRingBase = layout.h2kOffset();
        this.requests = new RingWriter(memory, layout.h2kOffset(), layout.capacity(), LENGTH);
        this.completions = new RingReader(memory, layout.k2hOffset(), layout.capacity(), CompletionDescriptor.LENGTH);
        this.arena = new ArenaAllocator(layout.arenaLength());
        this.inFlight = new InFlightTable(layout.capacity(), completions.position());
        this.clock = clock;
        this.execution = execution;
        this.hostResident = execution.hostResidentTensors().orElse(null);
        this.routing = execution.routing();
        this.poisonOutputs = poisonOutputs;
        this.outputCheck = outputCheck;
        this.outputNames = List.copyOf(outputNames);
    }

    /**
     * Bytes of arena one request takes: its inputs and outputs, each aligned. A request larger than the arena
     * can never be staged.
     */
    public static long arenaBytes(BoundRequest request) {
        long bytes = 0;
        for (Tensor input : request.request().inputs()) {
            bytes += ArenaAllocator.aligned((long) input.size() * Float.BYTES);
        }
        for (int size : request.outputSizes()) {
            bytes += ArenaAllocator.aligned((long) size * Float.BYTES);
        }
        return bytes;
    }

    /**
     * Writes one request into the next H2K slot and its data into the arena, unpublished until
     * {@link #publish}. Producer thread only. A request that the execution's {@link DeviceExecution#routing()
     * routing} sends to the launch path by its kernel's cost estimate is flagged, and handed to the
     * execution's launch path once published.
     *
     * @return false when the ring or the arena has no room now (retry after completions are polled)
     * @throws IllegalArgumentException when the request is larger than the whole arena
     * @throws org.ringkernel.bridge.kernel.InvalidKernelInputException when an input holds a value its kernel
     *     does not accept, by the request's {@link BoundRequest#inputCheck()}; nothing is staged then
     * @throws RequestTooCostlyException when the request must not run on the ring and has no other path
     */
    public boolean stage(long requestId, BoundRequest request) {
        return stage(requestId, request, false);
    }

    /**
     * Stages a request as {@link #stage(long, BoundRequest)} does; with {@code inPlace}, its completion carries
     * its outputs as an {@link ArenaOutputs} read where the kernel wrote them, not copied: the arena of that
     * request, and of every later one, stays taken until the caller closes it.
     *
     * @return false when the ring or the arena has no room now (retry after completions are polled)
     */
    public boolean stage(long requestId, BoundRequest request, boolean inPlace) {
        long position = requests.position() + staged;
        if (requests.claimable(staged + 1) <= staged || !inFlight.hasRoom(position)) {
            return false;
        }
        long bytes = arenaBytes(request);
        if (bytes > arena.length()) {
            throw new IllegalArgumentException("kernel '" + kernelId + "': the request needs " + bytes
                    + " bytes of arena (inputs and outputs) but the arena holds " + arena.length());
        }
        boolean launched = routing.takesLaunchPath(kernelId, cost, request);
        List<Tensor> inputs = request.request().inputs();
        int[] sizes = request.outputSizes();
        // Null, as for most requests, when every input and output is in the arena.
        boolean[] inHost = inputsInHost(inputs);
        float[][] hostOutputs = outputsInHost(sizes, inPlace) ? new float[sizes.length][] : null;
        // What stays in host memory takes no arena; at least one aligned block keeps the request's extent ordered.
        long arenaNeeded = Math.max(ARENA_ALIGNMENT, bytes - hostResidentBytes(inputs, inHost, sizes, inPlace));
        long start = arena.allocate(arenaNeeded);
        if (start == ArenaAllocator.INSUFFICIENT_CAPACITY) {
            return false;
        }
        if (inHost != null || hostOutputs != null) {
            int rejected = stageHostResident(request, inHost, hostOutputs, sizes, inPlace);
            if (rejected >= 0) {
                arena.cancelLatest(start);
                throw request.inputCheck().rejection(rejected, inputs.get(rejected));
            }
        }
        int record = requests.recordOffset(position);
        int cursor = arena.offsetOf(start);
        memory.putInt(record + INPUT_COUNT_OFFSET, inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            int entry = record + inputOffset(i);
            Tensor input = inputs.get(i);
            if (inHost != null && inHost[i]) {
                hostResident.putInput(position, i, input.data());
                describeInput(entry, HostResidentTensors.IN_HOST_MEMORY, input);
                continue;
            }
            if (!copyChecked(input, cursor / Float.BYTES, request.inputCheck())) {
                arena.cancelLatest(start);
                throw request.inputCheck().rejection(i, input);
            }
            describeInput(entry, cursor, input);
            cursor += (int) ArenaAllocator.aligned((long) input.size() * Float.BYTES);
        }
        int[] outputOffsets = new int[sizes.length];
        memory.putInt(record + OUTPUT_COUNT_OFFSET, sizes.length);
        for (int o = 0; o < sizes.length; o++) {
            int entry = record + outputOffset(o);
            if (hostOutputs != null && hostOutputs[o] != null) {
                hostResident.putOutput(position, o, hostOutputs[o]);
                outputOffsets[o] = (int) HostResidentTensors.IN_HOST_MEMORY;
                describeOutput(entry, HostResidentTensors.IN_HOST_MEMORY, sizes[o]);
                poison(FloatBuffer.wrap(hostOutputs[o]), 0, sizes[o]);
                continue;
            }
            outputOffsets[o] = cursor;
            describeOutput(entry, cursor, sizes[o]);
            poison(arenaFloats, cursor / Float.BYTES, sizes[o]);
            cursor += (int) ArenaAllocator.aligned((long) sizes[o] * Float.BYTES);
        }
        float[] params = request.params();
        memory.putInt(record + PARAM_COUNT_OFFSET, params.length);
        memory.putInt(record + FLAGS_OFFSET, launched ? FLAG_LAUNCH_PATH : 0);
        if (launched) {
            rememberHostLaunched(position);
        }
        for (int p = 0; p < params.length; p++) {
            memory.putFloat(record + paramOffset(p), params[p]);
        }
        memory.putLong(record + REQUEST_ID_OFFSET, requestId);
        if (staged == 0) {
            batchStamp = clock.now();
        }
        memory.putLong(record + HLC_OFFSET, batchStamp);
        requests.stamp(position);
        inFlight.put(new InFlightTable.Entry(position, requestId, request.outputShapes(), sizes, outputOffsets,
                hostOutputs, start, start + arenaNeeded, System.nanoTime(), inPlace));
        staged++;
        return true;
    }

    /**
     * Checks the inputs marked in {@code inHost} (null: none) and allocates the outputs of {@code hostOutputs} that
     * stay in host memory, each an array the kernel writes where the caller gets it: no copy out of the arena. A
     * large check runs beside the allocation ({@link HostInputCheck}).
     *
     * @return the index of the first input holding an unacceptable value, or -1 when there is none
     */
    private int stageHostResident(BoundRequest request, boolean[] inHost, float[][] hostOutputs, int[] sizes,
                                  boolean inPlace) {
        HostInputCheck check = inHost == null ? null
                : HostInputCheck.begin(request.inputCheck(), request.request().inputs(), inHost, hostOutputs != null);
        for (int o = 0; hostOutputs != null && o < sizes.length; o++) {
            hostOutputs[o] = outputStaysInHost(sizes[o], inPlace) ? new float[sizes[o]] : null;
        }
        return check == null ? -1 : check.firstRejected();
    }

    /**
     * Copies {@code input} into the arena from float {@code first}, checking each stretch of an array by
     * {@code check} while it is in cache: one read of the input from memory instead of one for the check and one for the copy.
     *
     * @return false when the check found an unacceptable value (what was copied is then garbage)
     */
    private boolean copyChecked(Tensor input, int first, InputCheck check) {
        if (input.isBuffer()) {
            if (check.isNone()) {
                input.copyTo(arenaFloats, first);
                return true;
            }
            // A tensor over the caller's buffer goes through a small stretch in cache, never a whole array.
            FloatBuffer source = input.buffer();
            int size = input.size();
            for (int from = 0; from < size; from += CHECKED_STRETCH) {
                int count = Math.min(CHECKED_STRETCH, size - from);
                source.get(from, stretch, 0, count);
                if (!check.accepts(stretch, 0, count)) {
                    return false;
                }
                arenaFloats.put(first + from, stretch, 0, count);
            }
            return true;
        }
        float[] data = input.data();
        if (check.isNone()) {
            arenaFloats.put(first, data);
            return true;
        }
        for (int from = 0; from < data.length; from += CHECKED_STRETCH) {
            int to = Math.min(data.length, from + CHECKED_STRETCH);
            if (!check.accepts(data, from, to)) {
                return false;
            }
            arenaFloats.put(first + from, data, from, to - from);
        }
        return true;
    }

    /** Whether {@code input} stays in host memory instead of being copied into the arena. */
    private boolean staysInHost(Tensor input) {
        return hostResident != null && !input.isBuffer() && HostResidentTensors.worthIt(input.size());
    }

    /** Whether an output of {@code size} elements is written in host memory instead of the arena. */
    private boolean outputStaysInHost(int size, boolean inPlace) {
        return hostResident != null && !inPlace && HostResidentTensors.worthIt(size);
    }

    /** Which inputs stay in host memory, by index; null when none does. */
    private boolean[] inputsInHost(List<Tensor> inputs) {
        boolean[] inHost = null;
        for (int i = 0; hostResident != null && i < inputs.size(); i++) {
            if (staysInHost(inputs.get(i))) {
                inHost = inHost != null ? inHost : new boolean[inputs.size()];
                inHost[i] = true;
            }
        }
        return inHost;
    }

    /** Whether any output of these sizes is written in host memory. */
    private boolean outputsInHost(int[] sizes, boolean inPlace) {
        for (int size : sizes) {
            if (outputStaysInHost(size, inPlace)) {
                return true;
            }
        }
        return false;
    }

    /** Bytes of {@link #arenaBytes} that stay in host memory; {@code inHost} as {@link #inputsInHost} gives it. */
    private long hostResidentBytes(List<Tensor> inputs, boolean[] inHost, int[] sizes, boolean inPlace) {
        long bytes = 0;
        for (int i = 0; inHost != null && i < inputs.size(); i++) {
            bytes += inHost[i] ? ArenaAllocator.aligned((long) inputs.get(i).size() * Float.BYTES) : 0;
        }
        for (int size : sizes) {
            bytes += outputStaysInHost(size, inPlace) ? ArenaAllocator.aligned((long) size * Float.BYTES) : 0;
        }
        return bytes;
    }

    private void describeInput(int entry, long offset, Tensor input) {
        memory.putLong(entry + TENSOR_ARENA_OFFSET, offset);
        memory.putInt(entry + TENSOR_ELEMENT_COUNT_OFFSET, input.size());
        memory.putInt(entry + INPUT_RANK_OFFSET, input.rank());
        for (int d = 0; d < MAX_RANK; d++) {
            memory.putInt(entry + INPUT_DIMS_OFFSET + d * Integer.BYTES, d < input.rank() ? input.dim(d) : 0);
        }
    }

    private void describeOutput(int entry, long offset, int count) {
        memory.putLong(entry + TENSOR_ARENA_OFFSET, offset);
        memory.putInt(entry + TENSOR_ELEMENT_COUNT_OFFSET, count);
        memory.putInt(entry + TENSOR_ELEMENT_COUNT_OFFSET + Integer.BYTES, 0);
    }

    private void poison(FloatBuffer target, int first, int count) {
        if (poisonOutputs) {
            for (int e = 0; e < count; e++) {
                target.put(first + e, Float.NaN);
            }
        }
        outputCheck.poison(target, first, count);
    }

    /**
     * Makes every staged request visible to the kernel with one release and wakes the kernel.
     * Producer thread only.
     *
     * @return how many requests were published
     */
    public int publish() {
        int count = staged;
        if (count > 0) {
            staged = 0;
            requests.publish(count);
            submitted.addAndGet(count);
            for (int i = 0; i < hostLaunchedCount; i++) {
                execution.launchOnHost(hostLaunched[i]);
            }
            hostLaunchedCount = 0;
            execution.ring();
        }
        return count;
    }

    private void rememberHostLaunched(long position) {
        if (hostLaunchedCount == hostLaunched.length) {
            hostLaunched = Arrays.copyOf(hostLaunched, Math.max(4, hostLaunched.length * 2));
        }
        hostLaunched[hostLaunchedCount++] = position;
    }

    /**
     * Reads up to {@code limit} completions in order and hands each to {@code handler}. Consumer thread only.
     *
     * @return how many completions were read
     */
    public int poll(CompletionHandler handler, int limit) {
        int ready = completions.availableStamped(limit);
        int done = 0;
        try {
            while (done < ready) {
                Completion completion = take(completions.position() + done);
                done++;
                handler.onCompletion(completion);
            }
        } finally {
            if (done > 0) {
                completions.release(done);
                inFlight.retireTo(completions.position());
                completed.addAndGet(done);
            }
        }
        return done;
    }

    private Completion take(long position) {
        InFlightTable.Entry entry = inFlight.get(position);
        int record = completions.recordOffset(position);
        CompletionStatus status = CompletionStatus.fromCode(memory.getInt(record + CompletionDescriptor.STATUS_OFFSET));
        boolean ok = status == CompletionStatus.OK;
        String detail = ok ? unwritten(entry) : "";
        if (!detail.isEmpty()) {
            status = CompletionStatus.KERNEL_ERROR;
            ok = false;
        }
        List<Tensor> outputs = ok && !entry.inPlace() ? readOutputs(entry) : List.of();
        Optional<ArenaOutputs> inPlace = ok && entry.inPlace() ? Optional.of(pin(entry)) : Optional.empty();
        long kernelClock = memory.getLong(record + CompletionDescriptor.HLC_OFFSET);
        Completion completion = new Completion(entry.requestId(), status, outputs,
                System.nanoTime() - entry.stagedNanos(),
                memory.getLong(record + CompletionDescriptor.KERNEL_NANOS_OFFSET),
                memory.getInt(record + CompletionDescriptor.BATCH_SIZE_OFFSET),
                ExecutionPath.fromCode(memory.getInt(record + CompletionDescriptor.PATH_OFFSET)),
                receive(kernelClock), detail, inPlace);
        freeArenaTo(entry.arenaEnd());
        inFlight.forget(position);
        return completion;
    }

    /** Outputs read in place, oldest first: the arena is freed up to the start of the oldest one still open. */
    private ArenaOutputs pin(InFlightTable.Entry entry) {
        int[] firsts = new int[entry.outputOffsets().length];
        for (int o = 0; o < firsts.length; o++) {
            firsts[o] = entry.outputOffsets()[o] / Float.BYTES;
        }
        ArenaOutputs outputs = new ArenaOutputs(this, entry.requestId(), arenaFloats.asReadOnlyBuffer(),
                entry.outputShapes(), entry.outputSizes(), firsts, entry.arenaStart());
        synchronized (pinned) {
            pinned.addLast(outputs);
            pinnedCount = pinned.size();
        }
        return outputs;
    }

    /**
     * Frees the arena up to {@code end}, the end of the latest completed request, or only up to the oldest
     * open {@link ArenaOutputs}. Consumer thread only. Only this thread pins, so with none pinned it needs no lock.
     */
    private void freeArenaTo(long end) {
        completedArenaEnd = end;
        if (pinnedCount == 0) {
            arena.freeTo(end);
            return;
        }
        synchronized (pinned) {
            arena.freeTo(pinned.isEmpty() ? end : pinned.peekFirst().arenaStart());
        }
    }

    /** Called once by {@link ArenaOutputs#close()}, from any thread. */
    void unpin(ArenaOutputs outputs) {
        synchronized (pinned) {
            pinned.remove(outputs);
            pinnedCount = pinned.size();
            arena.freeTo(pinned.isEmpty() ? completedArenaEnd : pinned.peekFirst().arenaStart());
        }
    }

    /** Which output the kernel left unwritten, in words, by the {@link OutputCheck}; empty when none. */
    private String unwritten(InFlightTable.Entry entry) {
        int[] sizes = entry.outputSizes();
        for (int o = 0; o < sizes.length; o++) {
            float[] host = entry.hostOutput(o);
            int element = host != null ? outputCheck.firstUnwritten(FloatBuffer.wrap(host), 0, sizes[o])
                    : outputCheck.firstUnwritten(arenaFloats, entry.outputOffsets()[o] / Float.BYTES, sizes[o]);
            if (element >= 0) {
                String name = o < outputNames.size() ? outputNames.get(o) : String.valueOf(o);
                return "kernel '" + kernelId + "' did not write output '" + name + "' (element " + element + " of "
                        + sizes[o] + " still holds the poison written before it ran)";
            }
        }
        return "";
    }

    /** The host's reading on receiving {@code kernelClock}; the clock moves once per kernel batch, not per record. */
    private long receive(long kernelClock) {
        if (kernelClock != lastKernelClock) {
            lastKernelClock = kernelClock;
            lastHostClock = clock.update(kernelClock);
        }
        return lastHostClock;
    }

    /** The outputs as an unmodifiable list, which the completion and the result keep as it is instead of copying. */
    private List<Tensor> readOutputs(InFlightTable.Entry entry) {
        int[][] shapes = entry.outputShapes();
        Tensor[] outputs = new Tensor[shapes.length];
        for (int o = 0; o < shapes.length; o++) {
            float[] data = entry.hostOutput(o);
            if (data == null) {
                data = new float[entry.outputSizes()[o]];
                arenaFloats.get(entry.outputOffsets()[o] / Float.BYTES, data);
            }
            outputs[o] = Tensor.of(shapes[o], data);
        }
        return List.of(outputs);
    }

    /**
     * After the kernel stopped: reads what it completed, then reports every other published request with
     * {@code status}, so each request still gets exactly one completion. Consumer thread only.
     *
     * @return how many requests were reported with {@code status}
     */
    public int failInFlight(CompletionStatus status, CompletionHandler handler) {
        while (poll(handler, Integer.MAX_VALUE) > 0) {
            // Drain the completions the kernel published before it stopped.
        }
        long published = SharedMemory.acquireLong(memory, requestRingBase + RingDescriptor.PRODUCER_POSITION_OFFSET);
        int failed = 0;
        long position = completions.position();
        try {
            for (; position < published; position++) {
                InFlightTable.Entry entry = inFlight.get(position);
                freeArenaTo(entry.arenaEnd());
                inFlight.forget(position);
                failed++;
                handler.onCompletion(new Completion(entry.requestId(), status, List.of(),
                        System.nanoTime() - entry.stagedNanos(), 0, 0, ExecutionPath.RING, clock.now(), ""));
            }
        } finally {
            if (failed > 0) {
                completions.release(failed);
                inFlight.retireTo(completions.position());
                completed.addAndGet(failed);
            }
        }
        return failed;
    }


    /** Requests published so far. */
    public long submitted() {
        return submitted.get();
    }

    /** Requests whose completion was read so far, failed ones included. */
    public long completed() {
        return completed.get();
    }

    /**
     * Requests published that the kernel has not handed back from its H2K ring: not yet taken, or taken in a
     * batch it has not finished. A request the kernel passed to the launch path has left the ring and is not
     * counted. Any thread; reads both positions with acquire.
     */
    public long heldByKernel() {
        long published = SharedMemory.acquireLong(memory, requestRingBase + RingDescriptor.PRODUCER_POSITION_OFFSET);
        long consumed = SharedMemory.acquireLong(memory, requestRingBase + RingDescriptor.CONSUMER_POSITION_OFFSET);
        return published - consumed;
    }

    /** Requests published and not yet completed. */
    public long inFlight() {
        return submitted.get() - completed.get();
    }
}
