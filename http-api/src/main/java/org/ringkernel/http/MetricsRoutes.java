package org.ringkernel.http;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import kamon.Kamon;
import kamon.metric.Counter;
import kamon.metric.Histogram;
import kamon.metric.MeasurementUnit;
import kamon.tag.TagSet;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.util.ByteString;

/**
 * {@code GET /metrics} and the HTTP request metrics. With telemetry on, the route serves the Prometheus text of
 * the latest snapshot, and every request is counted by method, route template ({@link RouteTemplates}) and
 * status, with its duration until the response's head: {@code http_server_requests_total} and
 * {@code http_server_request_duration_seconds}. With telemetry off, {@code /metrics} answers 404 saying so, and
 * nothing is recorded.
 */
public final class MetricsRoutes extends AllDirectives {
    /** Prometheus' text exposition format, version 0.0.4. */
    static final ContentType PROMETHEUS_TEXT = ContentTypes.parse("text/plain; version=0.0.4; charset=utf-8");
    static final String REQUESTS = "http.server.requests";
    static final String DURATION = "http.server.request.duration";

    private final Optional<Supplier<String>> scrape;
    private final ConcurrentHashMap<Key, Instruments> instruments = new ConcurrentHashMap<>();

    /** @param scrape the Prometheus text of the latest snapshot, or empty when telemetry is off */
    public MetricsRoutes(Optional<Supplier<String>> scrape) {
        this.scrape = scrape;
    }

    Route route(ErrorHandling errors) {
        return path("metrics", () -> get(() -> scrape
                .map(text -> complete(HttpResponse.create().withEntity(PROMETHEUS_TEXT, ByteString.fromString(text.get(), StandardCharsets.UTF_8))))
                .orElseGet(() -> complete(errors.response(ApiError.notFound(
                        "metrics are off (ringkernel.telemetry.enabled = off)"))))));
    }

    /** {@code inner}, each request it answers counted and timed. */
    Route measured(Supplier<Route> inner) {
        if (scrape.isEmpty()) {
            return inner.get();
        }
        return extractRequest(request -> {
            long started = System.nanoTime();
            return mapResponse(response -> record(request, response, started), inner);
        });
    }

    private HttpResponse record(HttpRequest request, HttpResponse response, long started) {
        Key key = new Key(request.method().value(), RouteTemplates.of(request.getUri().path()),
                response.status().intValue());
        Instruments measured = instruments.computeIfAbsent(key, Instruments::of);
        measured.requests.increment();
        measured.duration.record(System.nanoTime() - started);
        return response;
    }

    private record Key(String method, String route, int status) {
    }

    private record Instruments(Counter requests, Histogram duration) {
        static Instruments of(Key key) {
            TagSet tags = TagSet.of("method", key.method()).withTag("route", key.route())
                    .withTag("status", Integer.toString(key.status()));
            return new Instruments(Kamon.counter(REQUESTS, "HTTP requests answered").withTags(tags),
                    Kamon.histogram(DURATION, "HTTP request time until the response's head",
                            MeasurementUnit.time().nanoseconds()).withTags(tags));
        }
    }
}
