package org.ringkernel.http;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaType;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Connection;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.util.ByteString;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.KernelRequestException;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.actors.Readiness;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.actors.cluster.ShardedKernels;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.server.HttpSettings;

/**
 * The API's routes: kernel processing (JSON, binary, and the {@link ProcessFormat}s on the class path), NDJSON
 * streams, listings, probes, the status page, the cluster's members and placement, the admin route, and the
 * inference protocol's {@link V2Routes}. Every failure becomes an {@link ApiError}; nothing escapes as a stack trace.
 */
public final class KernelRoutes extends AllDirectives implements AutoCloseable {
    static final ContentType JSON = ContentTypes.APPLICATION_JSON;
    /** The media types the process route reads itself, besides those of the {@link ProcessFormat}s. */
    private static final List<String> BUILT_IN_TYPES = List.of("application/json", "application/octet-stream");
    /** {@link HttpHeader#is} wants the name in lower case. */
    private static final String SHAPE_HEADER_LOWER_CASE = OctetStreamRequestReader.SHAPE_HEADER.toLowerCase(Locale.ROOT);

    private final RingKernels kernels;
    private final HttpSettings settings;
    private final Draining draining;
    private final JsonResponses responses = new JsonResponses();
    private final ErrorHandling errors = new ErrorHandling(responses::error,
            "the API is under /api/kernels, /api/cluster, /api/status, /health and /ready; the inference protocol's under /v2");
    private final JsonRequestReader jsonReader;
    private final OctetStreamRequestReader binaryReader;
    private final RequestBodies bodies;
    private final NdjsonStreams streams;
    private final AdminRoutes admin;
    private final StatusRoutes status;
    private final MetricsRoutes metrics;
    private final HttpTracing tracing;
    private final V2Routes v2;
    private final Map<String, ProcessFormat> formats;

    /**
     * @param draining whether the server is shutting down, when routes take no new work
     * @param tracing which requests are traced
     * @param metrics {@code /metrics}, and the measuring of every request
     */
    public KernelRoutes(RingKernels kernels, HttpSettings settings, Draining draining, HttpTracing tracing,
                        MetricsRoutes metrics) {
        this.kernels = kernels;
        this.tracing = tracing;
        this.settings = settings;
        this.draining = draining;
        this.jsonReader = new JsonRequestReader(settings.maxElementsPerInput());
        this.binaryReader = new OctetStreamRequestReader(settings.maxElementsPerInput());
        this.bodies = new RequestBodies(settings);
        this.streams = new NdjsonStreams(jsonReader, bodies, responses, settings, draining);
        this.admin = new AdminRoutes(kernels, settings, responses, bodies);
        this.status = new StatusRoutes(kernels, responses);
        this.metrics = metrics;
        this.v2 = new V2Routes(kernels, settings, draining, bodies, responses);
        this.formats = loadFormats(kernels, settings);
    }

    /**
     * The whole API, with request ids, access logging, JSON errors for every rejection and failure, and (with
     * telemetry on) each request counted and timed.
     */
    public Route route() {
        return metrics.measured(() -> RequestLogging.logged(tracing, scope -> errors.handled(scope, () -> concat(
                probeRoutes(),
                status.route(),
                metrics.route(errors),
                pathPrefix("api", () -> concat(
                        path("cluster", () -> get(this::cluster)),
                        pathPrefix("kernels", () -> concat(
                                pathEnd(() -> get(() -> ok(responses.kernels(kernels.kernels())))),
                                pathPrefix(segment(), id -> concat(
                                        pathEnd(() -> get(() -> info(id))),
                                        path("process", () -> post(() -> process(id, scope))),
                                        path("stream", () -> post(() -> stream(id, scope))))))))),
                v2.route(scope),
                admin.route()))));
    }

    /** The probes alone, for the management port: {@code /health} and {@code /ready}. */
    public Route probes() {
        return RequestLogging.logged(tracing, scope -> errors.handled(scope, this::probeRoutes));
    }

    private Route probeRoutes() {
        return concat(
                path("health", () -> get(() -> ok(responses.health()))),
                path("ready", () -> get(this::ready)));
    }

    /** The answer to a request that arrives while the server drains: 503, try another instance. */
    public HttpResponse shuttingDown() {
        return errors.response(new ApiError(StatusCodes.SERVICE_UNAVAILABLE,
                "unavailable", "the server is shutting down; send the request again, to another instance",
                Optional.of(settings.retryAfter())));
    }

    private Route ready() {
        Readiness readiness = draining.draining()
                ? new Readiness(false, List.of("the server is shutting down")) : kernels.readiness();
        HttpResponse response = HttpResponse.create()
                .withStatus(readiness.ready() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE)
                .withEntity(JSON, responses.readiness(readiness, kernels.backend()));
        return complete(readiness.ready() ? response : response.addHeader(retryAfter(settings.retryAfter())));
    }

    /** Members, placement and routing as this node sees them; there is no cluster to show with clustering off. */
    private Route cluster() {
        Optional<ShardedKernels> cluster = kernels.cluster();
        if (cluster.isEmpty()) {
            return complete(errors.response(ApiError.notFound("clustering is off (ringkernel.cluster.enabled = off)")));
        }
        return ok(responses.cluster(cluster.get().status()));
    }

    private Route info(String id) {
        return withKernel(id, kernel -> ok(responses.kernel(kernel.info())));
    }

    /**
     * The request's deadline, {@code ringkernel.request-timeout}, runs from when the route first sees it (its
     * head parsed): the kernel gets what is left of it, and the route answers 504 itself (counting from the
     * end of the body, as Pekko's request timeout does) should the kernel not answer in time.
     */
    private Route process(String id, RequestScope scope) {
        long received = System.nanoTime();
        Duration deadline = kernels.settings().requestTimeout();
        return withRequestTimeout(deadline, request -> timedOut(deadline), () -> withKernel(id, kernel ->
                extractRequest(request -> parameterMultiMap(query -> bodies.strict(body -> {
                    MediaType mediaType = request.entity().getContentType().mediaType();
                    ProcessFormat format = builtIn(mediaType) ? null : formats.get(key(mediaType));
                    if (format != null) {
                        return processIn(format, kernel, request, body, query, deadline, received);
                    }
                    KernelRequest kernelRequest = RoutingKeyHeader.apply(RoutingKeyHeader.of(request),
                            decode(request, body, query));
                    boolean binaryOut = request.getHeader("Accept").map(h -> h.value().contains("application/octet-stream"))
                            .orElse(false);
                    Duration left = timeLeft(deadline, received);
                    return answer(kernel.process(kernelRequest, left, scope.trace()), binaryOut);
                })))));
    }

    /**
     * The time the kernel gets: it checks deadlines once a tick, so it gets one tick less than what is left of
     * the request's, to answer before the route's own timeout does.
     *
     * @throws BadRequestException (a 504) when nothing is left
     */
    private Duration timeLeft(Duration deadline, long received) {
        Duration left = deadline.minusNanos(System.nanoTime() - received)
                .minus(kernels.settings().supervision().tickInterval());
        if (left.isNegative() || left.isZero()) {
            throw new BadRequestException(timeoutError(deadline, "before it reached the kernel"));
        }
        return left;
    }

    /**
     * A body in one of the {@link ProcessFormat}s, answered in the same format. Its inputs' shapes and values are
     * in the body itself, so an {@code X-Shape} header is an error, as is an {@code X-Routing-Key} header (a format
     * may send several requests per body); an {@code Accept} header must accept the format's media type (else
     * 406), there being no other rendering of its answer.
     */
    private Route processIn(ProcessFormat format, KernelRef kernel, HttpRequest request, ByteString body,
                            Map<String, List<String>> query, Duration deadline, long received) {
        String mediaType = format.mediaType();
        for (String refused : List.of(OctetStreamRequestReader.SHAPE_HEADER, RoutingKeyHeader.NAME)) {
            if (request.getHeader(refused).isPresent()) {
                throw BadRequestException.invalid("a " + mediaType + " request takes no " + refused + " header"
                        + (refused.equals(RoutingKeyHeader.NAME) ? "; its rows may go to several kernel instances"
                        : "; the body holds its inputs' shapes"));
            }
        }
        request.getHeader("Accept").ifPresent(accept -> {
            if (!AcceptHeader.accepts(accept.value(), mediaType)) {
                throw new BadRequestException(new ApiError(StatusCodes.NOT_ACCEPTABLE, "not_acceptable",
                        "a " + mediaType + " request is answered in " + mediaType + " only, which Accept: "
                                + accept.value() + " does not take", Optional.empty()));
            }
        });
        Map<String, Double> params = QueryParams.parse(query, Set.of());
        timeLeft(deadline, received);
        CompletionStage<ByteString> answer;
        try {
            answer = format.process(kernel, body, params);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        ContentType contentType = contentType(mediaType);
        return StageRoutes.onComplete(answer, outcome -> {
            if (outcome.isSuccess()) {
                return complete(HttpResponse.create().withEntity(contentType, outcome.get()));
            }
            throw failure(outcome.failed().get());
        });
    }

    private static ContentType contentType(String mediaType) {
        int slash = mediaType.indexOf('/');
        return ContentTypes.create(MediaTypes.customBinary(mediaType.substring(0, slash),
                mediaType.substring(slash + 1), false));
    }

    /** Whether the route reads {@code mediaType} itself; answered without building the lookup key of a format. */
    private static boolean builtIn(MediaType mediaType) {
        return mediaType.equals(MediaTypes.APPLICATION_JSON) || mediaType.equals(MediaTypes.APPLICATION_OCTET_STREAM);
    }

    private static String key(MediaType mediaType) {
        return (mediaType.mainType() + "/" + mediaType.subType()).toLowerCase(Locale.ROOT);
    }

    /**
     * The formats on the class path by media type, in its order; two for one media type are an error, and so is a
     * format that cannot work here ({@link FormatUnavailableException}). On an error, those made are closed.
     */
    private static Map<String, ProcessFormat> loadFormats(RingKernels kernels, HttpSettings settings) {
        Map<String, ProcessFormat> formats = new TreeMap<>();
        try {
            for (ProcessFormatProvider provider : ServiceLoader.load(ProcessFormatProvider.class)) {
                ProcessFormat format = provider.create(kernels, settings);
                String mediaType = format.mediaType().toLowerCase(Locale.ROOT);
                ProcessFormat before = formats.putIfAbsent(mediaType, format);
                if (before != null || BUILT_IN_TYPES.contains(mediaType) || mediaType.indexOf('/') < 1) {
                    format.close();
                    throw new IllegalStateException("process format " + format.getClass().getName()
                            + " claims media type '" + mediaType + "', " + (mediaType.indexOf('/') < 1
                            ? "which is no media type" : "which " + (before != null ? before.getClass().getName()
                            : "the route itself") + " reads"));
                }
            }
        } catch (RuntimeException e) {
            formats.values().forEach(ProcessFormat::close);
            throw e;
        }
        return formats;
    }

    /** Releases what the {@link ProcessFormat}s hold; the server calls it once its actor system has terminated. */
    @Override
    public void close() {
        formats.values().forEach(ProcessFormat::close);
    }

    /** Pekko closes the connection after its request-timeout response, so the response says so to the client. */
    private HttpResponse timedOut(Duration deadline) {
        return errors.response(timeoutError(deadline, "without an answer from the kernel"))
                .addHeader(Connection.create("close"));
    }

    static ApiError timeoutError(Duration deadline, String where) {
        return new ApiError(StatusCodes.GATEWAY_TIMEOUT, "timeout", "no result within ringkernel.request-timeout ("
                + deadline.toMillis() + " ms): the request's time ran out " + where, Optional.empty());
    }

    private KernelRequest decode(HttpRequest request, ByteString body, Map<String, List<String>> query) {
        ContentType contentType = request.entity().getContentType();
        MediaType mediaType = contentType.mediaType();
        List<String> shapeHeaders = new ArrayList<>();
        request.getHeaders().forEach(h -> {
            if (h.is(SHAPE_HEADER_LOWER_CASE)) {
                shapeHeaders.add(h.value());
            }
        });
        if (mediaType.equals(MediaTypes.APPLICATION_JSON)) {
            if (!query.isEmpty() || !shapeHeaders.isEmpty()) {
                throw BadRequestException.invalid(query.isEmpty() ? "a JSON request carries its shapes in the body, not "
                        + "the " + OctetStreamRequestReader.SHAPE_HEADER + " header" : "a JSON request carries its params "
                        + "in the body, not the query (" + String.join(", ", query.keySet()) + ")");
            }
            return jsonReader.read(body.toArrayUnsafe());
        }
        if (mediaType.equals(MediaTypes.APPLICATION_OCTET_STREAM)) {
            return binaryReader.read(body, shapeHeaders, query);
        }
        List<String> accepted = new ArrayList<>(BUILT_IN_TYPES);
        accepted.addAll(formats.keySet());
        String last = accepted.remove(accepted.size() - 1);
        throw new BadRequestException(ApiError.unsupportedMediaType("expected Content-Type "
                + String.join(", ", accepted) + " or " + last + ", got " + contentType));
    }

    private Route answer(CompletionStage<KernelResult> result, boolean binaryOut) {
        return StageRoutes.onComplete(result, outcome -> {
            if (outcome.isSuccess()) {
                KernelResult value = outcome.get();
                // The body array is handed over, not copied: nothing else holds it.
                return complete(binaryOut ? BinaryResponses.of(value) : HttpResponse.create().withEntity(JSON,
                        ByteString.fromArrayUnsafe(responses.result(value))));
            }
            throw failure(outcome.failed().get());
        });
    }

    /**
     * What a failed stage is answered with: a {@link BadRequestException}'s error, or the error of the
     * {@link KernelRequestException} among the causes, or else a 500. A format may wrap the kernel's exception in
     * one of its own that says more (which rows of a column): the answer then has the wrapper's message.
     */
    private RuntimeException failure(Throwable failure) {
        Throwable outer = failure;
        while (outer instanceof CompletionException && outer.getCause() != null) {
            outer = outer.getCause();
        }
        for (Throwable cause = outer; cause != null; cause = cause.getCause()) {
            if (cause instanceof BadRequestException e) {
                return e;
            }
            if (cause instanceof KernelRequestException e) {
                ApiError error = ApiError.of(e, settings.retryAfter());
                return new BadRequestException(cause == outer ? error
                        : new ApiError(error.status(), error.code(), outer.getMessage(), error.retryAfter()));
            }
        }
        return new IllegalStateException("the kernel bridge failed unexpectedly", outer);
    }

    private Route stream(String id, RequestScope scope) {
        return withKernel(id, kernel -> extractRequest(request -> complete(streams.respond(kernel, request, scope))));
    }

    private Route withKernel(String id, Function<KernelRef, Route> inner) {
        KernelRef kernel;
        try {
            kernel = kernels.kernel(id);
        } catch (KernelRequestException e) {
            throw new BadRequestException(ApiError.of(e, settings.retryAfter()));
        }
        return inner.apply(kernel);
    }

    private Route ok(byte[] json) {
        return complete(HttpResponse.create().withEntity(JSON, json));
    }

    static RetryAfter retryAfter(Duration after) {
        return RetryAfter.create(Math.max(1, after.toSeconds()));
    }

}
