package org.ringkernel.kernels.gpucheck;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.JCudaDriver;
import org.ringkernel.bridge.cuda.LaunchArgs;
import org.ringkernel.bridge.runtime.Backend;
import org.ringkernel.bridge.runtime.InstanceSettings;

/**
 * Requests per second: small {@code echo} requests pipelined through one persistent ring kernel with
 * {@code RequestPump.run} (one host thread stages as many as the ring takes, publishes them with one release
 * and reads completions in between), against one ordinary launch per request as a program without a ring
 * issues it: {@code cuMemcpyHtoDAsync} of the input from pinned memory, {@code cuLaunchKernel} of
 * {@code rk_echo_launch}, {@code cuMemcpyDtoHAsync} of the output, {@code cuStreamSynchronize}. Both sides
 * move the same number of distinct requests after the same warm-up, and every output is compared with its
 * input.
 */
final class RequestRateCheck {
    private static final String MEASURE = "requests/s";
    private static final int FLOATS = 16;
    private static final int BYTES = FLOATS * Float.BYTES;
    private static final int WARM_UP = 10_000;
    private static final int REQUESTS = 100_000;
    private static final int BLOCK = 256;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private RequestRateCheck() {
    }

    static Row run(Backend backend, InstanceSettings settings, RawDriver driver, Random random) {
        EchoRequests requests = EchoRequests.random(random, WARM_UP + REQUESTS, FLOATS);
        BackendRuns.EchoRun echoed = BackendRuns.echoOnRing(MEASURE, backend, settings, requests, WARM_UP, TIMEOUT);
        double ours = REQUESTS / (echoed.run().nanos() / 1e9);
        double meanBatch = echoed.meanBatch();
        double baseline = launches(driver, requests);
        return new Row(MEASURE + ", `echo` of 16 floats: pipelined through the ring (`RequestPump.run`, one host"
                + " thread) vs per request `cuMemcpyHtoDAsync` + `cuLaunchKernel(rk_echo_launch)` + `cuMemcpyDtoHAsync`"
                + " + `cuStreamSynchronize`", Unit.REQUESTS_PER_SECOND, ours, baseline,
                String.format(Locale.ROOT, "%,d distinct requests each after %,d warm-up; ring batches of %.1f on"
                        + " average", REQUESTS, WARM_UP, meanBatch));
    }

    /**
     * The baseline's rate. Inputs and outputs lie side by side in pinned memory, one slot per request, warm-up
     * first, so every slot is written once and an output that never came back shows.
     */
    private static double launches(RawDriver driver, EchoRequests requests) {
        driver.enter();
        CUfunction function = driver.function("rk_echo_launch");
        long bytes = (long) requests.size() * BYTES;
        try (PinnedHostMemory sent = new PinnedHostMemory(bytes);
             PinnedHostMemory received = new PinnedHostMemory(bytes);
             DeviceMemory input = new DeviceMemory(BYTES);
             DeviceMemory output = new DeviceMemory(BYTES);
             DeviceMemory scratch = new DeviceMemory(LaunchArgs.scratchBytes(1))) {
            FloatBuffer floats = sent.buffer().asFloatBuffer();
            for (int i = 0; i < requests.size(); i++) {
                floats.put(requests.input(i));
            }
            Pointer args = Pointer.to(Pointer.to(new LaunchArgs().input(input.address(), FLOATS, FLOATS)
                    .output(output.address(), FLOATS).withScratch(scratch.address())));
            launchEach(driver, function, args, sent, received, input, output, 0, WARM_UP);
            long start = System.nanoTime();
            launchEach(driver, function, args, sent, received, input, output, WARM_UP, WARM_UP + REQUESTS);
            double rate = REQUESTS / ((System.nanoTime() - start) / 1e9);
            requireReceived(sent.buffer(), received.buffer());
            requireLaunchStatus(driver, scratch);
            return rate;
        }
    }

    private static void launchEach(RawDriver driver, CUfunction function, Pointer args, PinnedHostMemory sent,
                                   PinnedHostMemory received, DeviceMemory input, DeviceMemory output, int from,
                                   int to) {
        for (int i = from; i < to; i++) {
            long offset = (long) i * BYTES;
            RawDriver.check(JCudaDriver.cuMemcpyHtoDAsync(input.at(0), sent.at(offset), BYTES, driver.stream()),
                    "cuMemcpyHtoDAsync", i);
            RawDriver.check(JCudaDriver.cuLaunchKernel(function, 1, 1, 1, BLOCK, 1, 1, 0, driver.stream(), args, null),
                    "cuLaunchKernel(rk_echo_launch)", i);
            RawDriver.check(JCudaDriver.cuMemcpyDtoHAsync(received.at(offset), output.at(0), BYTES, driver.stream()),
                    "cuMemcpyDtoHAsync", i);
            RawDriver.check(JCudaDriver.cuStreamSynchronize(driver.stream()), "cuStreamSynchronize", i);
        }
    }

    private static void requireReceived(ByteBuffer sent, ByteBuffer received) {
        int mismatch = sent.mismatch(received);
        if (mismatch >= 0) {
            int element = mismatch / Float.BYTES * Float.BYTES;
            throw new CheckFailure(MEASURE + " baseline: request " + mismatch / BYTES + " came back wrong at element "
                    + element % BYTES / Float.BYTES + ": sent " + sent.getFloat(element) + ", got "
                    + received.getFloat(element));
        }
    }

    /** The launches' verdict, which {@code rk_echo_launch} writes into the first four bytes of its scratch. */
    private static void requireLaunchStatus(RawDriver driver, DeviceMemory scratch) {
        int[] status = new int[1];
        RawDriver.check(JCudaDriver.cuMemcpyDtoH(Pointer.to(status), scratch.at(0), Integer.BYTES),
                "cuMemcpyDtoH of the launch status");
        if (status[0] != 0) {
            throw new CheckFailure(MEASURE + " baseline: rk_echo_launch refused its arguments (launch status "
                    + status[0] + ")");
        }
    }
}
