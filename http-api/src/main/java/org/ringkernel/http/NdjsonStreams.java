package org.ringkernel.http;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.japi.pf.PFBuilder;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.KernelRequestException;
import org.ringkernel.actors.stream.FlowSettings;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.runtime.SettingsReader;
import org.ringkernel.server.HttpSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/kernels/{id}/stream}: one JSON request per line in, one result line per request line out,
 * in order. Backpressure runs end to end: the response is pulled by the client, lines are read from the
 * request only as results are taken, and at most the stream's parallelism (never more than the kernel's
 * ring holds) is in the kernel at once. A line that cannot be parsed, or whose request fails, becomes an
 * {@code {"error":…}} line; blank lines are skipped.
 *
 * <p>A stream never ends without saying why: a request body that breaks off (malformed framing, bad
 * encoding) and a client that takes nothing for {@code ringkernel.http.stream-stall-timeout} each end it
 * with a final error line after the results before them, and one warning in the log.
 *
 * <p>When the server begins to shut down, a stream answers the lines it has taken, reads the rest of the
 * request without running it (so that closing the connection cannot reset the answers), and ends with an
 * {@code unavailable} line naming the lines it did not run.
 */
final class NdjsonStreams {
    static final ContentType NDJSON = MediaTypes.applicationWithFixedCharset("x-ndjson",
            HttpCharsets.UTF_8).toContentType();
    private static final Logger LOG = LoggerFactory.getLogger(NdjsonStreams.class);

    private final JsonRequestReader reader;
    private final RequestBodies bodies;
    private final JsonResponses responses;
    private final HttpSettings settings;
    private final Draining draining;

    NdjsonStreams(JsonRequestReader reader, RequestBodies bodies, JsonResponses responses, HttpSettings settings,
                  Draining draining) {
        this.reader = reader;
        this.bodies = bodies;
        this.responses = responses;
        this.settings = settings;
        this.draining = draining;
    }

    /** What the stream takes from the request: a line to answer, or the end of the stream with an error. */
    private sealed interface Input {
    }

    /** Request line {@code number} (from 1). */
    private record Line(ByteString text, long number) implements Input {
    }

    /** The request cannot go on; {@code error} is the stream's last line. */
    private record Stop(ApiError error) implements Input {
    }

    /** The lines that arrive once the server drains: they are not run, and the stream's last line names them. */
    private static final class NotRun {
        private long first;
        private long last;

        List<Input> take(Input input, boolean draining) {
            if (!draining || !(input instanceof Line line)) {
                return List.of(input);
            }
            first = first == 0 ? line.number() : first;
            last = line.number();
            return List.of();
        }

        Optional<List<Input>> last(Duration retryAfter) {
            if (first == 0) {
                return Optional.empty();
            }
            String lines = first == last ? "line " + first + " was" : "lines " + first + " to " + last + " were";
            return Optional.of(List.of(new Stop(new ApiError(StatusCodes.SERVICE_UNAVAILABLE, "unavailable",
                    "the server is shutting down; " + lines + " not run: send them again, to another instance",
                    Optional.of(retryAfter)))));
        }
    }

    /** One line of the response and the request line it answers. */
    private record Answer(ByteString text, long line) {
    }

    HttpResponse respond(KernelRef kernel, HttpRequest request, RequestScope scope) {
        String mediaType = request.entity().getContentType().mediaType().toString();
        if (!mediaType.equals("application/x-ndjson") && !mediaType.equals("application/json")) {
            throw new BadRequestException(ApiError.unsupportedMediaType(
                    "expected Content-Type application/x-ndjson, got " + request.entity().getContentType()));
        }
        Optional<String> routingKey = RoutingKeyHeader.of(request);
        int parallelism = FlowSettings.of(settings.streamParallelism()).parallelismFor(kernel);
        int maxLine = settings.maxLineBytes();
        Source<Input, Object> inputs = bodies.streamed(request)
                .statefulMap(() -> new LineBuffer(maxLine), (buffer, chunk) -> Pair.create(buffer, buffer.push(chunk)),
                        LineBuffer::finish)
                .mapConcat(chunkLines -> chunkLines)
                .takeWhile(line -> line != LineBuffer.TOO_LONG, true)
                .zipWithIndex()
                .filter(line -> line.first() == LineBuffer.TOO_LONG || !LineBuffer.isBlank(line.first()))
                .<Input>map(line -> line.first() == LineBuffer.TOO_LONG ? new Stop(tooLong(line.second() + 1))
                        : new Line(line.first(), line.second() + 1))
                .recover(new PFBuilder<Throwable, Input>().match(UnreadableBodyException.class, e -> {
                    scope.log(() -> LOG.warn("stream on kernel '{}' ended early, {}",
                            kernel.id(), e.logLine()));
                    return new Stop(e.error());
                }).build())
                .statefulMap(NotRun::new, (notRun, input) -> Pair.create(notRun, notRun.take(input, draining.draining())),
                        notRun -> notRun.last(settings.retryAfter()))
                .mapConcat(taken -> taken);
        Source<ByteString, ?> lines = Source.fromMaterializer((materializer, attributes) -> {
            AtomicLong answered = new AtomicLong();
            return inputs.mapAsync(parallelism, input -> answer(kernel, input, routingKey))
                    .map(answer -> {
                        answered.set(answer.line());
                        return answer.text();
                    })
                    .backpressureTimeout(settings.streamStallTimeout())
                    .recover(new PFBuilder<Throwable, ByteString>().match(TimeoutException.class, e ->
                            stalled(kernel, answered.get(), scope)).build());
        });
        return HttpResponse.create().withEntity(HttpEntities.create(NDJSON, lines));
    }

    private CompletionStage<Answer> answer(KernelRef kernel, Input input, Optional<String> routingKey) {
        if (input instanceof Stop stop) {
            return CompletableFuture.completedFuture(new Answer(errorLine(stop.error()), 0));
        }
        Line line = (Line) input;
        KernelRequest request;
        try {
            request = RoutingKeyHeader.apply(routingKey, reader.readLine(line.text().toArray()));
        } catch (BadRequestException e) {
            return CompletableFuture.completedFuture(new Answer(errorLine(prefixed(e.error(), line.number())),
                    line.number()));
        }
        return kernel.process(request).handle((result, failure) -> {
            if (failure == null) {
                return new Answer(line(responses.result(result)), line.number());
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof KernelRequestException e) {
                return new Answer(errorLine(prefixed(ApiError.of(e, settings.retryAfter()), line.number())),
                        line.number());
            }
            throw new IllegalStateException("the kernel bridge failed unexpectedly on line " + line.number(), cause);
        });
    }

    private ApiError tooLong(long number) {
        return ApiError.tooLarge("line " + number + " is longer than " + settings.maxLineBytes()
                + " bytes, the limit of ringkernel.http.max-line-bytes; the stream ends here");
    }

    /** The last line of a stream whose client stopped taking results. */
    private ByteString stalled(KernelRef kernel, long answered, RequestScope scope) {
        String limit = SettingsReader.describe(settings.streamStallTimeout());
        scope.log(() -> LOG.warn("stream on kernel '{}' cut after the result of line {}: the "
                + "client took nothing for {} (ringkernel.http.stream-stall-timeout)", kernel.id(), answered, limit));
        return errorLine(new ApiError(StatusCodes.REQUEST_TIMEOUT, "stream_stalled", "the client took no results for " + limit + ", the limit of "
                + "ringkernel.http.stream-stall-timeout; the stream ends after the result of line " + answered
                + ", later lines were not answered", Optional.empty()));
    }

    private static ApiError prefixed(ApiError error, long line) {
        return new ApiError(error.status(), error.code(), "line " + line + ": " + error.message(), error.retryAfter());
    }

    private ByteString errorLine(ApiError error) {
        return line(responses.error(error));
    }

    /** A JSON body ends with a newline ({@link JsonResponses#write}), so it is a line as it is. */
    private static ByteString line(byte[] json) {
        return ByteString.fromArray(json);
    }
}
