package org.ringkernel.http;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaType;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.KernelRequestException;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.actors.Readiness;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.server.HttpSettings;

/**
 * The API's routes: kernel processing (JSON and binary), NDJSON streams, listings, probes, and the admin
 * route. Every failure becomes an {@link ApiError}; nothing escapes as a stack trace.
 */
public final class KernelRoutes extends AllDirectives {
    static final Duration ENTITY_TIMEOUT = Duration.ofSeconds(30);
    static final ContentType JSON = ContentTypes.APPLICATION_JSON;

    private final RingKernels kernels;
    private final HttpSettings settings;
    private final JsonResponses responses = new JsonResponses();
    private final JsonRequestReader jsonReader;
    private final OctetStreamRequestReader binaryReader;
    private final NdjsonStreams streams;
    private final AdminRoutes admin;

    public KernelRoutes(RingKernels kernels, HttpSettings settings) {
        this.kernels = kernels;
        this.settings = settings;
        this.jsonReader = new JsonRequestReader(settings.maxElementsPerInput());
        this.binaryReader = new OctetStreamRequestReader(settings.maxElementsPerInput());
        this.streams = new NdjsonStreams(jsonReader, responses, settings);
        this.admin = new AdminRoutes(kernels, settings, responses);
    }

    /** The whole API, with request ids, access logging, and JSON errors for every rejection and failure. */
    public Route route() {
        ErrorHandling errors = new ErrorHandling(responses, settings);
        return RequestLogging.logged(requestId -> errors.handled(requestId, () -> concat(
                path("health", () -> get(() -> ok(responses.health()))),
                path("ready", () -> get(this::ready)),
                pathPrefix("api", () -> pathPrefix("kernels", () -> concat(
                        pathEnd(() -> get(() -> ok(responses.kernels(kernels.kernels())))),
                        pathPrefix(segment(), id -> concat(
                                pathEnd(() -> get(() -> info(id))),
                                path("process", () -> post(() -> process(id))),
                                path("stream", () -> post(() -> stream(id)))))))),
                admin.route())));
    }

    private Route ready() {
        Readiness readiness = kernels.readiness();
        HttpResponse response = HttpResponse.create()
                .withStatus(readiness.ready() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE)
                .withEntity(JSON, responses.readiness(readiness, kernels.backend()));
        return complete(readiness.ready() ? response : response.addHeader(retryAfter(settings.retryAfter())));
    }

    private Route info(String id) {
        return withKernel(id, kernel -> ok(responses.kernel(kernel.info())));
    }

    /**
     * The request's deadline, {@code ringkernel.request-timeout}, runs from when the route first sees it (its
     * head parsed): the kernel gets what is left of it, and the route answers 504 itself (counting from the
     * end of the body, as Pekko's request timeout does) should the kernel not answer in time.
     */
    private Route process(String id) {
        long received = System.nanoTime();
        Duration deadline = kernels.settings().requestTimeout();
        return withRequestTimeout(deadline, request -> timedOut(deadline), () -> withKernel(id, kernel ->
                withSizeLimit(settings.maxRequestBytes(), () ->
                extractRequest(request -> parameterMap(query -> extractStrictEntity(ENTITY_TIMEOUT, entity -> {
                    KernelRequest kernelRequest = decode(entity, request.getHeader(OctetStreamRequestReader.SHAPE_HEADER)
                            .map(h -> h.value()).orElse(query.get("shape")), query);
                    boolean binaryOut = request.getHeader("Accept").map(h -> h.value().contains("application/octet-stream"))
                            .orElse(false);
                    // The kernel checks deadlines once a tick, so it gets one tick less than what is left, to
                    // answer before the route's own timeout does.
                    Duration left = deadline.minusNanos(System.nanoTime() - received)
                            .minus(kernels.settings().supervision().tickInterval());
                    if (left.isNegative() || left.isZero()) {
                        throw new BadRequestException(timeoutError(deadline, "before it reached the kernel"));
                    }
                    return answer(kernel.process(kernelRequest, left), binaryOut);
                }))))));
    }

    private HttpResponse timedOut(Duration deadline) {
        ApiError error = timeoutError(deadline, "without an answer from the kernel");
        return HttpResponse.create().withStatus(error.status()).withEntity(JSON, responses.error(error));
    }

    private static ApiError timeoutError(Duration deadline, String where) {
        return new ApiError(StatusCodes.GATEWAY_TIMEOUT, "timeout", "no result within ringkernel.request-timeout ("
                + deadline.toMillis() + " ms): the request's time ran out " + where, Optional.empty());
    }

    private KernelRequest decode(HttpEntity.Strict entity, String shapes, Map<String, String> query) {
        MediaType mediaType = entity.getContentType().mediaType();
        byte[] body = entity.getData().toArray();
        if (mediaType.equals(MediaTypes.APPLICATION_JSON)) {
            if (query.keySet().stream().anyMatch(key -> !key.equals("shape"))) {
                throw BadRequestException.invalid("a JSON request carries its params in the body, not the query ("
                        + String.join(", ", query.keySet()) + ")");
            }
            return jsonReader.read(body);
        }
        if (mediaType.equals(MediaTypes.APPLICATION_OCTET_STREAM)) {
            return binaryReader.read(body, shapes, query);
        }
        throw new BadRequestException(new ApiError(StatusCodes.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                "expected Content-Type application/json or application/octet-stream, got " + entity.getContentType(),
                Optional.empty()));
    }

    private Route answer(CompletionStage<KernelResult> result, boolean binaryOut) {
        return onComplete(result, outcome -> {
            if (outcome.isSuccess()) {
                KernelResult value = outcome.get();
                return complete(binaryOut ? BinaryResponses.of(value) : HttpResponse.create().withEntity(JSON,
                        responses.result(value)));
            }
            Throwable failure = outcome.failed().get();
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof KernelRequestException e) {
                throw new BadRequestException(ApiError.of(e, settings.retryAfter()));
            }
            throw new IllegalStateException("the kernel bridge failed unexpectedly", cause);
        });
    }

    private Route stream(String id) {
        return withKernel(id, kernel -> withoutSizeLimit(() -> extractRequestEntity(entity ->
                complete(streams.respond(kernel, entity)))));
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
