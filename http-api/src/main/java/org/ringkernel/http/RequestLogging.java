package org.ringkernel.http;

import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Gives every request an id (the client's {@code X-Request-Id} when it is a sane token, else a new one),
 * returns it in the response's {@code X-Request-Id}, and logs one access line per request. Log lines of a
 * request carry the id in the MDC as {@code request_id}; routes run on many threads, so the id is put in
 * the MDC around each log call rather than per thread.
 */
final class RequestLogging {
    static final String HEADER = "X-Request-Id";
    private static final String MDC_KEY = "request_id";
    private static final Logger ACCESS = LoggerFactory.getLogger("org.ringkernel.http.access");
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private RequestLogging() {
    }

    static Route logged(Function<String, Route> inner) {
        return Directives.extractRequest(request -> {
            String id = requestId(request);
            long started = System.nanoTime();
            return Directives.respondWithHeader(RawHeader.create(HEADER, id), () ->
                    Directives.mapResponse(response -> access(id, request, response, started), () -> inner.apply(id)));
        });
    }

    private static String requestId(HttpRequest request) {
        return request.getHeader(HEADER).map(h -> h.value().strip()).filter(v -> SANE_ID.matcher(v).matches())
                .orElseGet(() -> UUID.randomUUID().toString());
    }

    private static HttpResponse access(String id, HttpRequest request, HttpResponse response, long started) {
        String line = String.format(Locale.ROOT, "%s %s %d %.2f ms", request.method().value(), request.getUri().path(),
                response.status().intValue(), (System.nanoTime() - started) / 1e6);
        withId(id, () -> {
            if (response.status().intValue() >= 500) {
                ACCESS.warn(line);
            } else {
                ACCESS.info(line);
            }
        });
        return response;
    }

    /** Runs {@code log} with {@code id} in the MDC. */
    static void withId(String id, Runnable log) {
        MDC.put(MDC_KEY, id);
        try {
            log.run();
        } finally {
            MDC.remove(MDC_KEY);
        }
    }
}
