package org.ringkernel.actors;

import kamon.Kamon;
import kamon.trace.Span;
import kamon.trace.Span$Link$Kind$FollowsFrom$;
import kamon.trace.SpanBuilder;
import kamon.trace.Trace$SamplingDecision$Sample$;

/**
 * The span of one published batch, from its publish to the ring until the last of its requests has left the
 * ring (completed, or failed with its instance). It starts a trace of its own and links the span of every traced
 * request it carries, as a batch serves requests of many traces. Batches without a traced request have none.
 */
final class BatchTrace {
    static final String OPERATION = "kernel.batch";

    private final Span span;
    private int inRing;

    private BatchTrace(Span span, int size) {
        this.span = span;
        this.inRing = size;
    }

    /**
     * The trace of the batch of {@code size} requests just published, the last {@code size} of
     * {@code inFlight}, set on each of them; nothing where none of them is traced.
     */
    static void start(String kernelId, int instance, Iterable<PendingRequest> newestFirst, int size) {
        SpanBuilder builder = null;
        int seen = 0;
        for (PendingRequest pending : newestFirst) {
            if (seen++ == size) {
                break;
            }
            if (!pending.span.isEmpty()) {
                if (builder == null) {
                    builder = Kamon.internalSpanBuilder(OPERATION, "ringkernel").ignoreParentFromContext()
                            .samplingDecision(Trace$SamplingDecision$Sample$.MODULE$).doNotTrackMetrics()
                            .tag("kernel", kernelId).tag("instance", (long) instance).tag("batch.size", (long) size);
                }
                builder.link(pending.span, Span$Link$Kind$FollowsFrom$.MODULE$);
            }
        }
        if (builder == null) {
            return;
        }
        BatchTrace batch = new BatchTrace(builder.start(), size);
        seen = 0;
        for (PendingRequest pending : newestFirst) {
            if (seen++ == size) {
                break;
            }
            pending.batch = batch;
        }
    }

    /** Marks the batch failed, once, with why its instance failed. */
    void fail(String reason) {
        span.fail(reason);
    }

    /** One of the batch's requests has left the ring; the last one ends the batch's span. */
    void left() {
        if (--inRing == 0) {
            span.finish();
        }
    }
}
