package org.ringkernel.http;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every request an id (the client's {@code X-Request-Id} when it is a sane token, else a new one) and
 * its trace ({@link HttpTracing}), returns them in the response's {@code X-Request-Id} and {@code traceparent},
 * and logs one access line per request. Log lines of a request carry both in the MDC, as {@code request_id}
 * and {@code trace_id} ({@link RequestScope#log}). The server span ends when the response starts.
 */
final class RequestLogging {
    static final String HEADER = "X-Request-Id";
    private static final Logger ACCESS = LoggerFactory.getLogger("org.ringkernel.http.access");
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private RequestLogging() {
    }

    static Route logged(HttpTracing tracing, Function<RequestScope, Route> inner) {
        return Directives.extractRequest(request -> {
            long started = System.nanoTime();
            RequestScope scope = tracing.begin(requestId(request), request);
            List<HttpHeader> headers = new ArrayList<>(2);
            headers.add(RawHeader.create(HEADER, scope.requestId()));
            scope.responseHeader().ifPresent(headers::add);
            return Directives.respondWithHeaders(headers, () ->
                    Directives.mapResponse(response -> access(scope, request, response, started),
                            () -> inner.apply(scope)));
        });
    }

    private static String requestId(HttpRequest request) {
        return request.getHeader(HEADER).map(h -> h.value().strip()).filter(v -> SANE_ID.matcher(v).matches())
                .orElseGet(RequestLogging::newRequestId);
    }

    /**
     * A random (version 4) UUID from the thread's generator: a request id needs to be unique, not unguessable, and
     * {@link UUID#randomUUID()}'s secure generator reads the system's entropy source with a system call every few
     * ids, under one lock for all threads.
     */
    private static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(high, low).toString();
    }

    private static HttpResponse access(RequestScope scope, HttpRequest request, HttpResponse response, long started) {
        int status = response.status().intValue();
        if (!scope.span().isEmpty()) {
            scope.span().tag("http.status_code", (long) status);
            if (status >= 500) {
                scope.span().fail(response.status().reason());
            }
            scope.span().finish();
        }
        boolean failed = status >= 500;
        if (failed ? ACCESS.isWarnEnabled() : ACCESS.isInfoEnabled()) {
            String line = line(request, status, System.nanoTime() - started);
            scope.log(() -> {
                if (failed) {
                    ACCESS.warn(line);
                } else {
                    ACCESS.info(line);
                }
            });
        }
        return response;
    }

    /**
     * {@code POST /api/kernels/square/process 200 1.25 ms}: built by hand, as {@code String.format} takes a good
     * share of a small request's time (it looks up the locale's decimal symbols on every call).
     */
    static String line(HttpRequest request, int status, long nanos) {
        long hundredths = Math.round(nanos / 10_000.0);
        long fraction = hundredths % 100;
        return request.method().value() + ' ' + request.getUri().path() + ' ' + status + ' ' + hundredths / 100
                + (fraction < 10 ? ".0" : ".") + fraction + " ms";
    }
}
