package org.ringkernel.http;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import kamon.Kamon;
import kamon.trace.Identifier$Scheme$;
import kamon.trace.Span;
import kamon.trace.Span$Empty$;
import kamon.trace.SpanBuilder;
import kamon.trace.Trace$SamplingDecision$Sample$;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.ringkernel.actors.RequestTrace;
import org.ringkernel.actors.TraceParent;

/**
 * Decides, per HTTP request, whether it is traced, and starts its server span.
 *
 * <p>A request carrying a valid W3C {@code traceparent} continues that trace: same trace id, our server span a
 * child of the caller's span, sampled exactly when the caller's sampled flag is set. A request without one, or
 * with one that is malformed, starts a new trace, sampled with probability {@code trace-sample-rate}; a bad
 * header is not an error of the request (tracing must never fail a call) and is not logged. Unsampled requests
 * build no span: they get ids for the response's {@code traceparent} and the log, nothing more.
 */
public final class HttpTracing {
    private static final HttpTracing OFF = new HttpTracing(false, 0);

    private final boolean enabled;
    private final double sampleRate;

    /**
     * @param enabled whether requests are traced at all ({@code ringkernel.telemetry.enabled})
     * @param sampleRate the share of new traces that are sampled ({@code ringkernel.telemetry.trace-sample-rate})
     */
    public HttpTracing(boolean enabled, double sampleRate) {
        this.enabled = enabled;
        this.sampleRate = sampleRate;
    }

    /** No tracing: no span, no {@code traceparent}, no {@code trace_id}. */
    public static HttpTracing off() {
        return OFF;
    }

    RequestScope begin(String requestId, HttpRequest request) {
        if (!enabled) {
            return new RequestScope(requestId, Optional.empty(), Span$Empty$.MODULE$);
        }
        Optional<TraceParent> incoming = request.getHeader(TraceParent.HEADER).flatMap(h -> TraceParent.parse(h.value()));
        boolean sampled = incoming.map(TraceParent::sampled)
                .orElseGet(() -> sampleRate > 0 && ThreadLocalRandom.current().nextDouble() < sampleRate);
        String traceId = incoming.map(TraceParent::traceId).orElseGet(TraceParent::newTraceId);
        if (!sampled) {
            return new RequestScope(requestId, Optional.of(new TraceParent(traceId, TraceParent.newSpanId(), false)),
                    Span$Empty$.MODULE$);
        }
        SpanBuilder builder = Kamon.serverSpanBuilder(RouteTemplates.of(request.getUri().path()), "pekko.http")
                .ignoreParentFromContext().doNotTrackMetrics().samplingDecision(Trace$SamplingDecision$Sample$.MODULE$)
                .tag("http.method", request.method().value()).tag("request.id", requestId);
        if (incoming.isPresent()) {
            builder.asChildOf(RequestTrace.remote(incoming.get()).parent());
        } else {
            builder.traceId(Identifier$Scheme$.MODULE$.Double().traceIdFactory().from(traceId));
        }
        Span span = builder.start();
        return new RequestScope(requestId, Optional.of(new TraceParent(span.trace().id().string(), span.id().string(),
                true)), span);
    }
}
