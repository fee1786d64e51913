package org.ringkernel.http;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Allow;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.server.UnsupportedRequestContentTypeRejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every rejection and failure of a route into a JSON {@link ApiError}: 404 for unknown paths, 405
 * with {@code Allow} for a wrong method, the status of a body that could not be received (400, 408, 413;
 * logged as one warning), and 500 (logged with the request id, never shown) for anything unexpected. The
 * body's form is the API's ({@link JsonResponses#error}) or the inference protocol's ({@link V2Responses#error}).
 */
final class ErrorHandling {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandling.class);

    private final Function<ApiError, byte[]> body;
    private final String routes;
    /** The same for every request, so built once; the exception handler logs under each request's id. */
    private final RejectionHandler rejections;

    /**
     * @param body the JSON body of an error
     * @param routes where the routes are, for the answer to a path none takes
     */
    ErrorHandling(Function<ApiError, byte[]> body, String routes) {
        this.body = body;
        this.routes = routes;
        this.rejections = rejections();
    }

    Route handled(RequestScope scope, Supplier<Route> inner) {
        return Directives.handleExceptions(exceptions(scope), () -> Directives.handleRejections(rejections, inner));
    }

    HttpResponse response(ApiError error) {
        HttpResponse response = HttpResponse.create().withStatus(error.status())
                .withEntity(KernelRoutes.JSON, body.apply(error));
        return error.retryAfter().map(after -> response.addHeader(KernelRoutes.retryAfter(after))).orElse(response);
    }

    private ExceptionHandler exceptions(RequestScope scope) {
        return ExceptionHandler.newBuilder()
                .match(BadRequestException.class, e -> Directives.complete(response(e.error())))
                .match(UnreadableBodyException.class, e -> {
                    scope.log(() -> LOG.warn(e.logLine()));
                    return Directives.complete(response(e.error()));
                })
                .matchAny(e -> {
                    scope.log(() -> LOG.error("request failed", e));
                    return Directives.complete(response(ApiError.internal(
                            "the server failed to answer; the log has the details under request id " + scope.requestId())));
                })
                .build();
    }

    private RejectionHandler rejections() {
        return RejectionHandler.newBuilder()
                .handleAll(MethodRejection.class, rejected -> {
                    String allowed = rejected.stream().map(r -> r.supported().value()).distinct()
                            .collect(Collectors.joining(", "));
                    HttpMethod[] methods = rejected.stream().map(MethodRejection::supported).distinct()
                            .toArray(HttpMethod[]::new);
                    return Directives.complete(response(new ApiError(StatusCodes.METHOD_NOT_ALLOWED, "method_not_allowed",
                            "this path takes " + allowed, Optional.empty())).addHeader(Allow.create(methods)));
                })
                .handle(UnsupportedRequestContentTypeRejection.class, rejected -> Directives.complete(response(
                        new ApiError(StatusCodes.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                                "unsupported Content-Type; expected one of " + rejected.getSupported(), Optional.empty()))))
                .handleNotFound(Directives.extractUri(uri -> Directives.complete(response(ApiError.notFound(
                        "no route for " + uri.path() + "; " + routes)))))
                .build()
                .withFallback(RejectionHandler.defaultHandler())
                .mapRejectionResponse(this::asJson);
    }

    /** Rejections the handlers above do not name still answer with a JSON error body. */
    private HttpResponse asJson(HttpResponse response) {
        if (response.entity().getContentType().equals(KernelRoutes.JSON)) {
            return response;
        }
        String message = response.entity() instanceof HttpEntity.Strict strict
                ? strict.getData().utf8String() : response.status().reason();
        return response.withEntity(KernelRoutes.JSON, body.apply(new ApiError(response.status(),
                response.status().reason().toLowerCase(Locale.ROOT).replace(' ', '_'), message,
                Optional.empty())));
    }
}
