package org.ringkernel.http;

import java.util.Optional;
import kamon.trace.Span;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.ringkernel.actors.RequestTrace;
import org.ringkernel.actors.TraceParent;
import org.slf4j.MDC;

/**
 * What identifies one HTTP request in logs and traces: its request id, and with telemetry on its trace
 * context and, where sampled, its server span ({@code Span.Empty} otherwise).
 */
final class RequestScope {
    static final String REQUEST_ID = "request_id";
    static final String TRACE_ID = "trace_id";

    private final String requestId;
    private final Optional<TraceParent> traceParent;
    private final Span span;

    RequestScope(String requestId, Optional<TraceParent> traceParent, Span span) {
        this.requestId = requestId;
        this.traceParent = traceParent;
        this.span = span;
    }

    String requestId() {
        return requestId;
    }

    /** The trace the kernel's spans join; {@link RequestTrace#NONE} where the request is not sampled. */
    RequestTrace trace() {
        return span.isEmpty() ? RequestTrace.NONE : RequestTrace.of(span);
    }

    Span span() {
        return span;
    }

    /** The response's {@code traceparent}, naming the server span; none with telemetry off. */
    Optional<HttpHeader> responseHeader() {
        return traceParent.map(t -> RawHeader.create(TraceParent.HEADER, t.header()));
    }

    /**
     * Runs {@code log} with the request's ids in the MDC. Routes run on many threads, so the ids are put
     * around each log call rather than per thread.
     */
    void log(Runnable log) {
        MDC.put(REQUEST_ID, requestId);
        traceParent.ifPresent(t -> MDC.put(TRACE_ID, t.traceId()));
        try {
            log.run();
        } finally {
            MDC.remove(REQUEST_ID);
            MDC.remove(TRACE_ID);
        }
    }
}
