package org.ringkernel.http;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Connection;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.inference.InferenceException;
import org.ringkernel.inference.InferenceModels;
import org.ringkernel.inference.InferenceRequest;
import org.ringkernel.server.HttpSettings;

/**
 * The Open Inference Protocol (v2) over HTTP, so that the HTTP clients of KServe and Triton work unchanged:
 * server metadata and health, each model's metadata and readiness, and inference, under {@code /v2}, each
 * {@code /v2/models/{name}} route also as {@code /v2/models/{name}/versions/{version}}. Every error, a path no
 * route takes included, is the protocol's {@code {"error":"<message>"}} with the status of its
 * {@link org.ringkernel.inference.InferenceStatus}.
 */
final class V2Routes extends AllDirectives {
    /** Triton's binary tensor extension announces its binary part with this header; it is not served. */
    private static final String BINARY_HEADER = "inference-header-content-length";

    private final InferenceModels models;
    private final RingKernels kernels;
    private final HttpSettings settings;
    private final Draining draining;
    private final RequestBodies bodies;
    private final V2RequestReader reader;
    private final V2Responses responses;
    private final ErrorHandling errors;
    private final ExceptionHandler inferenceErrors;

    V2Routes(RingKernels kernels, HttpSettings settings, Draining draining, RequestBodies bodies, JsonResponses json) {
        this.models = new InferenceModels(kernels);
        this.kernels = kernels;
        this.settings = settings;
        this.draining = draining;
        this.bodies = bodies;
        this.reader = new V2RequestReader(settings.maxElementsPerInput());
        this.responses = new V2Responses(json);
        this.errors = new ErrorHandling(responses::error, "the inference protocol's routes are /v2, "
                + "/v2/health/live, /v2/health/ready, /v2/models/{name}, /v2/models/{name}/ready and "
                + "/v2/models/{name}/infer");
        this.inferenceErrors = ExceptionHandler.newBuilder()
                .match(InferenceException.class, e -> complete(errors.response(ApiError.of(e, settings.retryAfter()))))
                .build();
    }

    Route route(RequestScope scope) {
        return pathPrefix("v2", () -> errors.handled(scope, () -> handleExceptions(inferenceErrors, () -> concat(
                pathEnd(() -> get(() -> ok(responses.server(models.serverMetadata())))),
                pathPrefix("health", () -> concat(
                        path("live", () -> get(() -> ok(responses.live()))),
                        path("ready", () -> get(this::serverReady)))),
                pathPrefix("models", () -> pathPrefix(segment(), name -> concat(
                        model(name, "", scope),
                        pathPrefix("versions", () -> pathPrefix(segment(), version ->
                                model(name, version, scope))))))))));
    }

    private Route model(String name, String version, RequestScope scope) {
        return concat(
                pathEnd(() -> get(() -> ok(responses.metadata(models.metadata(name, version))))),
                path("ready", () -> get(() -> modelReady(name, version))),
                path("infer", () -> post(() -> infer(name, version, scope))));
    }

    private Route serverReady() {
        boolean ready = !draining.draining() && models.serverReady();
        return readiness(ready, responses.serverReady(ready));
    }

    private Route modelReady(String name, String version) {
        boolean ready = models.ready(name, version);
        return readiness(ready, responses.modelReady(name, ready));
    }

    private Route readiness(boolean ready, byte[] body) {
        HttpResponse response = HttpResponse.create().withEntity(KernelRoutes.JSON, body);
        return complete(ready ? response : response.withStatus(StatusCodes.SERVICE_UNAVAILABLE)
                .addHeader(KernelRoutes.retryAfter(settings.retryAfter())));
    }

    /**
     * As {@code /api/kernels/{id}/process}: the deadline, {@code ringkernel.request-timeout}, runs from when the
     * route first sees the request, the kernel gets what is left of it less one tick (it checks deadlines once a
     * tick), and the route answers 504 itself should the kernel not answer in time. An unknown model is answered
     * before the body is read.
     */
    private Route infer(String name, String version, RequestScope scope) {
        long received = System.nanoTime();
        Duration deadline = kernels.settings().requestTimeout();
        return withRequestTimeout(deadline, request -> timedOut(deadline), () -> extractRequest(request -> {
            models.requireModel(name, version);
            if (request.getHeader(BINARY_HEADER).isPresent()) {
                throw BadRequestException.invalid("binary tensor data (Inference-Header-Content-Length) is not "
                        + "supported; send the inputs' data as JSON");
            }
            return bodies.strict(body -> {
                InferenceRequest inference = reader.read(body.toArray());
                Duration left = deadline.minusNanos(System.nanoTime() - received)
                        .minus(kernels.settings().supervision().tickInterval());
                return StageRoutes.onComplete(models.infer(name, version, inference, left, scope.trace()), outcome -> {
                    if (outcome.isSuccess()) {
                        return ok(responses.response(outcome.get()));
                    }
                    Throwable failure = outcome.failed().get();
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (cause instanceof InferenceException e) {
                        throw e;
                    }
                    throw new IllegalStateException("inference failed unexpectedly", cause);
                });
            });
        }));
    }

    /** Pekko closes the connection after its request-timeout response, so the response says so to the client. */
    private HttpResponse timedOut(Duration deadline) {
        return errors.response(KernelRoutes.timeoutError(deadline, "without an answer from the kernel"))
                .addHeader(Connection.create("close"));
    }

    private Route ok(byte[] json) {
        return complete(HttpResponse.create().withEntity(KernelRoutes.JSON, json));
    }
}
