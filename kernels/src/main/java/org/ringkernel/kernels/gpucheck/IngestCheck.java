package org.ringkernel.kernels.gpucheck;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import jcuda.driver.JCudaDriver;
import org.ringkernel.bridge.runtime.Backend;
import org.ringkernel.bridge.runtime.InstanceSettings;

/**
 * Ring ingest: large {@code echo} requests through a persistent ring kernel, counted as input bytes per
 * second, against {@code cuMemcpyHtoDAsync} of the same bytes in chunks of the same size from pinned memory
 * ({@code cuMemHostAlloc}), queued back to back and synchronized once: the fastest a program moves bytes onto
 * the device. The ring's figure includes what its path costs: the host copies each input into the mapped
 * arena and each output out of it, and the kernel reads and writes that host memory over the bus.
 *
 * <p>A request is 2 MiB in and 2 MiB out, about 4 ms on one ring block by the default
 * {@code ringkernel.kernel.ring-path} rates and within its 5 ms budget, so it stays on the ring; a much larger
 * one would take the launch path beside the kernel, and the check fails when any request did.
 *
 * <p>Each request, warm-up included, differs from every other (a random base with its own values every 1024th
 * element), so an output left over from another request cannot pass; every output is compared with its input
 * after the timed run, and the baseline's device memory is copied back and compared with what was sent.
 */
final class IngestCheck {
    private static final String MEASURE = "ring ingest";
    private static final int FLOATS = 1 << 19;
    private static final long BYTES = (long) FLOATS * Float.BYTES;
    private static final int MARKER_STRIDE = 1024;
    /** One pass over the whole arena, so first touches of its pages and the heap's growth are not timed. */
    private static final int WARM_UP = 64;
    private static final int REQUESTS = 192;
    /** Room for 64 requests in flight, inputs and outputs: four per block of the default grid on an H200. */
    private static final int ARENA_BYTES = 256 << 20;
    /** Distinct chunks the baseline copies from, in turn. */
    private static final int BASELINE_CHUNKS = 16;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private IngestCheck() {
    }

    static Row run(Backend backend, InstanceSettings base, RawDriver driver, Random random) {
        float[] common = RandomFloats.of(random, FLOATS);
        List<float[]> inputs = new ArrayList<>(WARM_UP + REQUESTS);
        for (int i = 0; i < WARM_UP + REQUESTS; i++) {
            float[] input = common.clone();
            for (int e = 0; e < FLOATS; e += MARKER_STRIDE) {
                input[e] = RandomFloats.nonZero(random);
            }
            inputs.add(input);
        }
        EchoRequests requests = EchoRequests.of(inputs);
        InstanceSettings settings = BackendRuns.withArena(base, ARENA_BYTES);
        BackendRuns.Run run = BackendRuns.echoOnRing(MEASURE, backend, settings, requests, WARM_UP, TIMEOUT).run();
        double ours = gigabytesPerSecond(REQUESTS * BYTES, run.nanos());
        double baseline = copies(driver, random);
        return new Row(MEASURE + ", input bytes/s: `echo` of 2 MiB requests through the ring vs `cuMemcpyHtoDAsync`"
                + " of 2 MiB chunks from pinned memory", Unit.GIGABYTES_PER_SECOND, ours, baseline,
                String.format(Locale.ROOT, "%d requests (%,d MiB in) each side after %d warm-up; ours includes the"
                        + " host's copies into and out of the arena", REQUESTS, REQUESTS * BYTES >> 20, WARM_UP));
    }

    /** The baseline's rate over as many bytes as the ring moved, copied chunk after chunk into device memory. */
    private static double copies(RawDriver driver, Random random) {
        driver.enter();
        long bytes = BASELINE_CHUNKS * BYTES;
        try (PinnedHostMemory sent = new PinnedHostMemory(bytes);
             PinnedHostMemory received = new PinnedHostMemory(bytes);
             DeviceMemory device = new DeviceMemory(bytes)) {
            FloatBuffer floats = sent.buffer().asFloatBuffer();
            while (floats.hasRemaining()) {
                floats.put(RandomFloats.nonZero(random));
            }
            copyEach(driver, sent, device, WARM_UP);
            long start = System.nanoTime();
            copyEach(driver, sent, device, REQUESTS);
            double rate = gigabytesPerSecond(REQUESTS * BYTES, System.nanoTime() - start);
            RawDriver.check(JCudaDriver.cuMemcpyDtoH(received.at(0), device.at(0), bytes),
                    "cuMemcpyDtoH of the copied chunks");
            requireSame(sent.buffer(), received.buffer());
            return rate;
        }
    }

    private static void copyEach(RawDriver driver, PinnedHostMemory sent, DeviceMemory device, int copies) {
        for (int i = 0; i < copies; i++) {
            long offset = i % BASELINE_CHUNKS * BYTES;
            RawDriver.check(JCudaDriver.cuMemcpyHtoDAsync(device.at(offset), sent.at(offset), BYTES, driver.stream()),
                    "cuMemcpyHtoDAsync", i);
        }
        driver.synchronize("the copies");
    }

    private static void requireSame(ByteBuffer sent, ByteBuffer received) {
        int mismatch = sent.mismatch(received);
        if (mismatch >= 0) {
            throw new CheckFailure(MEASURE + " baseline: device memory differs from what was copied at byte "
                    + mismatch + " (chunk " + mismatch / BYTES + ")");
        }
    }

    private static double gigabytesPerSecond(long bytes, long nanos) {
        return bytes / (double) nanos;
    }
}
