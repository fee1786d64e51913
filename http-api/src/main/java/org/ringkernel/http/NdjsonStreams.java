package org.ringkernel.http;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.KernelRequestException;
import org.ringkernel.actors.stream.FlowSettings;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.server.HttpSettings;

/**
 * {@code POST /api/kernels/{id}/stream}: one JSON request per line in, one result line per request line out,
 * in order. Backpressure runs end to end: the response is pulled by the client, lines are read from the
 * request only as results are taken, and at most the stream's parallelism (never more than the kernel's
 * ring holds) is in the kernel at once. A line that cannot be parsed, or whose request fails, becomes an
 * {@code {"error":…}} line; blank lines are skipped.
 */
final class NdjsonStreams {
    static final ContentType NDJSON = MediaTypes.applicationWithFixedCharset("x-ndjson",
            HttpCharsets.UTF_8).toContentType();
    private static final ByteString NEWLINE = ByteString.fromString("\n");

    private final JsonRequestReader reader;
    private final JsonResponses responses;
    private final HttpSettings settings;

    NdjsonStreams(JsonRequestReader reader, JsonResponses responses, HttpSettings settings) {
        this.reader = reader;
        this.responses = responses;
        this.settings = settings;
    }

    HttpResponse respond(KernelRef kernel, HttpEntity entity) {
        String mediaType = entity.getContentType().mediaType().toString();
        if (!mediaType.equals("application/x-ndjson") && !mediaType.equals("application/json")) {
            throw new BadRequestException(new ApiError(StatusCodes.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "expected Content-Type application/x-ndjson, got " + entity.getContentType(),
                    Optional.empty()));
        }
        int parallelism = FlowSettings.of(settings.streamParallelism()).parallelismFor(kernel);
        int maxLine = settings.maxLineBytes();
        Source<ByteString, Object> lines = entity.getDataBytes()
                .statefulMap(() -> new LineBuffer(maxLine), (buffer, chunk) -> Pair.create(buffer, buffer.push(chunk)),
                        LineBuffer::finish)
                .mapConcat(chunkLines -> chunkLines)
                .takeWhile(line -> line != LineBuffer.TOO_LONG, true)
                .zipWithIndex()
                .filter(line -> line.first() == LineBuffer.TOO_LONG || !LineBuffer.isBlank(line.first()))
                .mapAsync(parallelism, line -> answer(kernel, line));
        return HttpResponse.create().withEntity(HttpEntities.create(NDJSON, lines));
    }

    private CompletionStage<ByteString> answer(KernelRef kernel, Pair<ByteString, Long> line) {
        long number = line.second() + 1;
        if (line.first() == LineBuffer.TOO_LONG) {
            return CompletableFuture.completedFuture(errorLine(ApiError.tooLarge("line " + number + " is longer than "
                    + settings.maxLineBytes() + " bytes, the limit of ringkernel.http.max-line-bytes; the stream ends here")));
        }
        KernelRequest request;
        try {
            request = reader.read(line.first().toArray());
        } catch (BadRequestException e) {
            return CompletableFuture.completedFuture(errorLine(prefixed(e.error(), number)));
        }
        return kernel.process(request).handle((result, failure) -> {
            if (failure == null) {
                return line(responses.result(result));
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof KernelRequestException e) {
                return errorLine(prefixed(ApiError.of(e, settings.retryAfter()), number));
            }
            throw new IllegalStateException("the kernel bridge failed unexpectedly on line " + number, cause);
        });
    }

    private static ApiError prefixed(ApiError error, long line) {
        return new ApiError(error.status(), error.code(), "line " + line + ": " + error.message(), error.retryAfter());
    }

    private ByteString errorLine(ApiError error) {
        return line(responses.error(error));
    }

    private static ByteString line(byte[] json) {
        return ByteString.fromArray(json).concat(NEWLINE);
    }

}
