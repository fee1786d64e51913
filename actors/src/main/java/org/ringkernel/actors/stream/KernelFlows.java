package org.ringkernel.actors.stream;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.stream.javadsl.Flow;
import org.ringkernel.actors.KernelCommand;
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
 * <p><b>Batching.</b> A flow sends its requests to the kernel's actor in {@link KernelCommand.ProcessBatch}
 * messages and takes the answers back in groups, one message per batch each way rather than an ask per element:
 * with none of its requests in the kernel, a request goes at once; otherwise requests gather until answers come
 * back, and then go together. A request is given its timeout ({@link FlowSettings#timeout()}, else the kernel's
 * {@code ringkernel.request-timeout}); one still unanswered {@link KernelRef#ASK_MARGIN} after it, because the
 * kernel's actor never answered it, comes out as a {@link org.ringkernel.actors.RequestTimeoutException}, and an
 * answer arriving later is ignored. Once the actor system shuts down (as {@link KernelRef#process} sees it), or the
 * kernel's actor has stopped, requests are answered at once with
 * {@link org.ringkernel.actors.KernelUnavailableException} instead.
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
        return flow(kernel, settings, true);
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
        return flow(kernel, settings, false);
    }

    /**
     * The flow in front of {@code kernel}, any actor that takes {@link KernelCommand.ProcessBatch} (a kernel's, or a
     * stand-in in a test).
     */
    static Flow<KernelRequest, KernelResult, NotUsed> flow(ActorRef<KernelCommand> kernel, String kernelId,
                                                           int parallelism, Duration timeout, FlowSettings settings,
                                                           boolean ordered) {
        return flow(kernel, kernelId, parallelism, timeout, settings, ordered, Optional::empty, false);
    }

    private static Flow<KernelRequest, KernelResult, NotUsed> flow(
            ActorRef<KernelCommand> kernel, String kernelId, int parallelism, Duration timeout, FlowSettings settings,
            boolean ordered, Supplier<Optional<? extends KernelRequestException>> refusal, boolean rowwise) {
        Flow<KernelRequest, KernelRequest, NotUsed> admitted = settings.throttle()
                .map(throttle -> Flow.<KernelRequest>create().throttle(throttle.elements(), throttle.per()))
                .orElseGet(Flow::create);
        return admitted.via(new KernelBatchStage(kernel, kernelId, parallelism, timeout, ordered, settings.errors(),
                refusal, rowwise));
    }

    private static Flow<KernelRequest, KernelResult, NotUsed> flow(KernelRef kernel, FlowSettings settings,
                                                                   boolean ordered) {
        return flow(kernel.ref(), kernel.id(), settings.parallelismFor(kernel),
                settings.timeout().orElse(kernel.requestTimeout()), settings, ordered, kernel::refusal,
                kernel.definition().signature().rowwise());
    }
}
