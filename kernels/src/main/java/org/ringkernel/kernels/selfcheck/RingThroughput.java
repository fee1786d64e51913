package org.ringkernel.kernels.selfcheck;

import java.time.Duration;
import org.ringkernel.bridge.kernel.BoundRequest;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.runtime.Backend;
import org.ringkernel.bridge.runtime.CompletionHandler;
import org.ringkernel.bridge.runtime.HostChannel;
import org.ringkernel.bridge.runtime.InstanceSettings;
import org.ringkernel.bridge.runtime.KernelInstance;

/**
 * A quick measure of the ring, end to end (host → H2K → kernel → K2H → host): one host thread keeps the ring
 * full, staging and publishing small requests as fast as slots free up and reading completions in between,
 * while the kernel instance runs its loop. One host thread, because on a two-core machine a separate
 * producer and consumer would spin against the kernel's loop for two cores. After a warm-up of the same
 * length it counts the completions read in the measured window. Not a benchmark with statistics; those
 * live in the benchmark module.
 */
final class RingThroughput {
    /**
     * @param messages how many requests completed in the window
     * @param seconds the window's length
     * @param meanBatch mean requests per kernel dequeue
     */
    record Result(long messages, double seconds, double meanBatch) {
        double perSecond() {
            return messages / seconds;
        }
    }

    private static final CompletionHandler DISCARD = completion -> { };

    private RingThroughput() {
    }

    static Result measure(Backend backend, KernelDefinition echo, InstanceSettings settings, int floats,
                          Duration window) {
        try (KernelInstance instance = backend.launch(echo, settings)) {
            instance.activate();
            HostChannel channel = instance.channel();
            BoundRequest request = echo.bind(KernelRequest.of(Tensor.of(new float[floats])));
            long[] nextId = new long[1];
            drive(channel, request, nextId, window);
            long start = System.nanoTime();
            long messages = drive(channel, request, nextId, window);
            double seconds = (System.nanoTime() - start) / 1e9;
            // Requests still in flight are left to termination, which reports them; they are not counted.
            return new Result(messages, seconds, instance.counters().meanBatchSize());
        }
    }

    private static long drive(HostChannel channel, BoundRequest request, long[] nextId, Duration window) {
        long deadline = System.nanoTime() + window.toNanos();
        long read = 0;
        while (System.nanoTime() - deadline < 0) {
            while (channel.stage(nextId[0], request)) {
                nextId[0]++;
            }
            channel.publish();
            int polled = channel.poll(DISCARD, Integer.MAX_VALUE);
            read += polled;
            if (polled == 0) {
                Thread.onSpinWait();
            }
        }
        return read;
    }
}
