package org.ringkernel.actors;

import java.util.Objects;
import java.util.Optional;
import kamon.trace.Identifier;
import kamon.trace.Identifier$Scheme$;
import kamon.trace.Span;
import kamon.trace.Span$Empty$;
import kamon.trace.Trace;
import kamon.trace.Trace$SamplingDecision$Sample$;

/**
 * The trace a request belongs to, carried in its {@link KernelCommand.Computing} message: the caller's span
 * (an HTTP server span, say), of which the kernel's actor makes its own span a child. Only sampled traces are
 * carried; {@link #NONE} means the request is not traced, and then the kernel builds no span for it, so
 * untraced requests cost nothing beyond this reference.
 */
public final class RequestTrace {
    /** No trace: the request is not recorded. */
    public static final RequestTrace NONE = new RequestTrace(Span$Empty$.MODULE$);

    private final Span parent;

    private RequestTrace(Span parent) {
        this.parent = parent;
    }

    /**
     * The trace of {@code parent}, or {@link #NONE} where it is empty or not sampled.
     *
     * @param parent the span the kernel's spans become children of
     */
    public static RequestTrace of(Span parent) {
        Objects.requireNonNull(parent, "parent");
        return parent.isEmpty() || parent.trace().samplingDecision() != Trace$SamplingDecision$Sample$.MODULE$
                ? NONE : new RequestTrace(parent);
    }

    /** The trace {@code traceParent} names, whose span lives in another process; {@link #NONE} where unsampled. */
    public static RequestTrace remote(TraceParent traceParent) {
        if (!traceParent.sampled()) {
            return NONE;
        }
        Identifier.Scheme ids = Identifier$Scheme$.MODULE$.Double();
        Trace trace = Trace.create(ids.traceIdFactory().from(traceParent.traceId()),
                Trace$SamplingDecision$Sample$.MODULE$);
        return new RequestTrace(new Span.Remote(ids.spanIdFactory().from(traceParent.spanId()), Identifier.Empty(),
                trace));
    }

    /** Whether the request is traced. */
    public boolean sampled() {
        return !parent.isEmpty();
    }

    /** The parent span of the kernel's spans; {@code Span.Empty} where the request is not traced. */
    public Span parent() {
        return parent;
    }

    /** The trace as a {@code traceparent} value, for sending it on; empty where the request is not traced. */
    public Optional<TraceParent> traceParent() {
        return sampled() ? Optional.of(new TraceParent(parent.trace().id().string(), parent.id().string(), true))
                : Optional.empty();
    }

    @Override
    public String toString() {
        return traceParent().map(TraceParent::header).orElse("untraced");
    }
}
