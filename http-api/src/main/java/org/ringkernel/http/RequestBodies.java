package org.ringkernel.http;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamException;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.StreamTcpException;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.ringkernel.bridge.runtime.SettingsReader;
import org.ringkernel.server.HttpSettings;

/**
 * Receives request bodies: decodes their {@link ContentCoding}, bounds the decoded size by
 * {@code ringkernel.http.max-request-bytes}, the time a whole body may take by
 * {@code ringkernel.http.body-timeout} and the bytes of all bodies held at once by
 * {@code ringkernel.http.max-buffered-bytes}, and turns every way a body can fail to arrive into an
 * {@link UnreadableBodyException} that names what went wrong (400, 408, 413, 503, or a client that went away).
 */
final class RequestBodies {
    private final HttpSettings settings;
    /** Bytes of the bodies held now, each from its first byte until its route has read it. */
    private final AtomicLong held = new AtomicLong();

    RequestBodies(HttpSettings settings) {
        this.settings = settings;
    }

    /**
     * Runs {@code inner} with the whole decoded body. The body counts against
     * {@code ringkernel.http.max-buffered-bytes} from its first byte until {@code inner} has read it.
     */
    Route strict(Function<ByteString, Route> inner) {
        return Directives.extractRequest(request -> Directives.extractMaterializer(materializer -> {
            Hold hold = new Hold();
            return StageRoutes.onComplete(strict(request, materializer, hold), body -> {
                try {
                    if (body.isFailure()) {
                        throw rethrown(body.failed().get());
                    }
                    return inner.apply(body.get());
                } finally {
                    hold.release();
                }
            });
        }));
    }

    /**
     * The decoded body as it arrives, with no size or time limit (a stream bounds its lines instead); its
     * failures are {@link UnreadableBodyException}s where the client is at fault.
     *
     * @throws BadRequestException with 415 for a content coding the server does not take
     */
    Source<ByteString, Object> streamed(HttpRequest request) {
        return decoded(request, ContentCoding.of(request));
    }

    private CompletionStage<ByteString> strict(HttpRequest request, Materializer materializer, Hold hold) {
        ContentCoding coding = ContentCoding.of(request);
        // Most bodies arrive whole with their head: no stream to run, no timer to set.
        if (coding.isIdentity() && request.entity() instanceof HttpEntity.Strict whole) {
            int size = whole.getData().size();
            if (size > settings.maxRequestBytes()) {
                return CompletableFuture.failedFuture(tooLarge(""));
            }
            return hold.take(size) ? CompletableFuture.completedFuture(whole.getData())
                    : CompletableFuture.failedFuture(overloaded());
        }
        BodyBuffer buffer = new BodyBuffer(coding, hold);
        return decoded(request, coding).completionTimeout(settings.bodyTimeout())
                .runForeach(buffer::add, materializer)
                .handle(buffer::result);
    }

    private Source<ByteString, Object> decoded(HttpRequest request, ContentCoding coding) {
        // The limit is ours, on the decoded bytes, whatever Pekko's parsing.max-content-length says.
        return coding.decode(request.entity().withoutSizeLimit().getDataBytes()
                .mapError(Throwable.class, this::classified));
    }

    /** What a failure of the entity stream means for the client; other failures pass unchanged. */
    private Throwable classified(Throwable failure) {
        if (failure instanceof EntityStreamSizeException) {
            return tooLarge("");
        }
        if (failure instanceof StreamTcpException) {
            return new UnreadableBodyException(ApiError.badRequest("the connection failed before the whole body "
                    + "arrived"), true);
        }
        if (failure instanceof EntityStreamException e) {
            String summary = e.info().summary();
            // Pekko's parser says what was wrong only in words: a truncated body, a chunk over its limits.
            if (summary.startsWith("Entity stream truncation")) {
                return new UnreadableBodyException(ApiError.badRequest("the connection closed before the whole "
                        + "body arrived"), true);
            }
            if (summary.startsWith("HTTP chunk") && summary.contains("exceeds")) {
                return new UnreadableBodyException(ApiError.tooLarge("a chunk of the request body is too large ("
                        + summary + "); a body may have up to " + settings.maxRequestBytes()
                        + " bytes, the limit of ringkernel.http.max-request-bytes, sent in smaller chunks"), false);
            }
            return new UnreadableBodyException(ApiError.badRequest("the request body is malformed: " + summary), false);
        }
        return failure;
    }

    private UnreadableBodyException overloaded() {
        return new UnreadableBodyException(new ApiError(StatusCodes.SERVICE_UNAVAILABLE, "overloaded", "the server "
                + "holds as many request bodies as it may (ringkernel.http.max-buffered-bytes, " + settings.maxBufferedBytes()
                + " bytes); retry later", Optional.of(settings.retryAfter())), false);
    }

    /** The bytes one request holds of the shared budget; given back once, when its body has been read. */
    private final class Hold {
        private long bytes;
        private boolean released;

        synchronized boolean take(long more) {
            if (released) {
                return false;
            }
            if (held.addAndGet(more) > settings.maxBufferedBytes()) {
                held.addAndGet(-more);
                return false;
            }
            bytes += more;
            return true;
        }

        synchronized void release() {
            if (!released) {
                released = true;
                held.addAndGet(-bytes);
            }
        }
    }

    private UnreadableBodyException tooLarge(String decoded) {
        return new UnreadableBodyException(ApiError.tooLarge("the request body is larger than "
                + settings.maxRequestBytes() + " bytes" + decoded + ", the limit of ringkernel.http.max-request-bytes"),
                false);
    }

    private static RuntimeException rethrown(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof RuntimeException runtime ? runtime
                : new IllegalStateException("reading the request body failed", cause);
    }

    /**
     * Gathers one body. A plain body over the limit is read to its end (or the deadline) and dropped before the
     * 413 goes out, so that the client, still sending, receives the answer instead of a reset connection; an
     * encoded one stops at once, so that a small upload cannot make the server inflate gigabytes.
     */
    private final class BodyBuffer {
        private final ContentCoding coding;
        private final Hold hold;
        private ByteString body = ByteString.emptyByteString();
        private long received;
        private boolean refused;

        BodyBuffer(ContentCoding coding, Hold hold) {
            this.coding = coding;
            this.hold = hold;
        }

        void add(ByteString chunk) {
            received += chunk.size();
            if (received <= settings.maxRequestBytes() && !refused && hold.take(chunk.size())) {
                body = body.concat(chunk);
                return;
            }
            // Over a limit the rest is read and dropped, so that the client receives the answer.
            refused = refused || received <= settings.maxRequestBytes();
            body = ByteString.emptyByteString();
            if (!coding.isIdentity()) {
                throw received <= settings.maxRequestBytes() ? overloaded() : overLimit();
            }
        }

        ByteString result(Done done, Throwable failure) {
            if (failure == null && refused && received <= settings.maxRequestBytes()) {
                throw overloaded();
            }
            if (failure == null && received <= settings.maxRequestBytes()) {
                return body;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause == null || received > settings.maxRequestBytes() && cause instanceof TimeoutException) {
                throw overLimit();
            }
            if (cause instanceof TimeoutException) {
                throw new UnreadableBodyException(ApiError.requestTimeout("the request body did not arrive within "
                        + SettingsReader.describe(settings.bodyTimeout()) + ", the limit of ringkernel.http.body-timeout"), false);
            }
            throw rethrown(cause);
        }

        private UnreadableBodyException overLimit() {
            return tooLarge(coding.isIdentity() ? "" : " once decoded from " + coding.name().toLowerCase(Locale.ROOT));
        }
    }
}
