package org.ringkernel.actors.stream;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.KernelRequestException;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.actors.OverloadedException;
import org.ringkernel.bridge.kernel.KernelRequest;

/**
 * Pekko Streams flows in front of a kernel: each {@link KernelRequest} in, its {@link KernelResult} out, either
 * in request order ({@link #ordered}) or as results arrive ({@link #unordered}).
 *
 * <pre>{@code
 * Source.from(requests).via(KernelFlows.ordered(RingKernels.get(system).kernel("square"), 64)).runWith(sink, system);
 * }</pre>
 *
 * <p><b>Backpressure.</b> A flow holds at most {@link FlowSettings#parallelismFor(KernelRef)} requests, never
 * more than the kernel's ring capacity, counting those whose results wait to go downstream, and takes a further
 * request from upstream only when a result has gone downstream. Its own requests therefore never overflow the
 * ring, and they are not held to the queue-time budget, which applies to requests that find the ring full: they
 * get {@link OverloadedException} only where the kernel's measured pace says one would miss its own deadline, or
 * where other users of the kernel, who share the ring and its wait queue, filled both. A slow
 * downstream slows the flow: once that many results wait for it, no further request goes to the kernel. A request
 * that timed out counts as answered at once but keeps its ring slot until the kernel finishes it.
 *
 * <p><b>Errors.</b> {@link ErrorHandling} says whether a failed request comes out as an element or fails the
 * stream; a failure that is not a {@link KernelRequestException} is a bug and always fails the stream.
 *
 * <p><b>Cancellation and upstream failure</b> stop the flow at once. Requests already in the kernel run to the
 * end and free their ring slots; their results are dropped.
 */
public final class KernelFlows {

    private KernelFlows() {
    }

    /** Results in request order, up to {@code parallelism} requests at once, errors as elements. */
    public static Flow<KernelRequest, KernelResult, NotUsed> ordered(KernelRef kernel, int parallelism) {
        return ordered(kernel, FlowSettings.of(parallelism));
    }

    /** Results in request order, as {@code settings} say. */
    public static Flow<KernelRequest, KernelResult, NotUsed> ordered(KernelRef kernel, FlowSettings settings) {
        return flow(caller(kernel, settings), settings.parallelismFor(kernel), settings, true);
    }

    /**
     * Results as they arrive, up to {@code parallelism} requests at once, errors as elements; match them to
     * their requests with {@link KernelResult#request()}.
     */
    public static Flow<KernelRequest, KernelResult, NotUsed> unordered(KernelRef kernel, int parallelism) {
        return unordered(kernel, FlowSettings.of(parallelism));
    }

    /** Results as they arrive, as {@code settings} say. */
    public static Flow<KernelRequest, KernelResult, NotUsed> unordered(KernelRef kernel, FlowSettings settings) {
        return flow(caller(kernel, settings), settings.parallelismFor(kernel), settings, false);
    }

    private static Function<KernelRequest, CompletionStage<KernelResult>> caller(KernelRef kernel,
                                                                                 FlowSettings settings) {
        return settings.timeout()
                .<Function<KernelRequest, CompletionStage<KernelResult>>>map(timeout ->
                        request -> kernel.process(request, timeout))
                .orElse(kernel::process);
    }

    /** The flow over any {@code process} function, so its error handling can be checked without a kernel. */
    static Flow<KernelRequest, KernelResult, NotUsed> flow(Function<KernelRequest, CompletionStage<KernelResult>> process,
                                                           int parallelism, FlowSettings settings, boolean ordered) {
        Flow<KernelRequest, KernelRequest, NotUsed> admitted = settings.throttle()
                .map(throttle -> Flow.<KernelRequest>create().throttle(throttle.elements(), throttle.per()))
                .orElseGet(Flow::create);
        org.apache.pekko.japi.function.Function<KernelRequest, CompletionStage<KernelResult>> call =
                request -> process.apply(request).exceptionallyCompose(failure -> asElement(request, failure));
        Flow<KernelRequest, KernelResult, NotUsed> results = ordered
                ? admitted.mapAsync(parallelism, call)
                : admitted.mapAsyncUnordered(parallelism, call);
        // Failing on the emitted results, not inside mapAsync, makes FAIL_STREAM fail at the first failed element
        // in output order rather than at whichever failure the kernel answered first.
        return settings.errors() == ErrorHandling.FAIL_STREAM ? results.map(KernelFlows::requireOk) : results;
    }

    /** A kernel's answer to a request as an element; anything but a {@link KernelRequestException} stays a failure. */
    static CompletionStage<KernelResult> asElement(KernelRequest request, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof KernelRequestException error) {
            return CompletableFuture.completedFuture(KernelResult.failed(error.kernelId(), request, error));
        }
        return CompletableFuture.failedFuture(cause);
    }

    private static KernelResult requireOk(KernelResult result) {
        if (result.error().isPresent()) {
            throw result.error().get();
        }
        return result;
    }
}
