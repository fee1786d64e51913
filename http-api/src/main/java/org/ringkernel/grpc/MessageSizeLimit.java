package org.ringkernel.grpc;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.util.ByteString;

/**
 * {@code ringkernel.grpc.max-message-bytes} on every call: the request body is read frame by frame (the 5-byte
 * gRPC prefix: a compressed flag and a big-endian 32-bit length), and a frame that announces more than the limit
 * fails the call with RESOURCE_EXHAUSTED before its payload is gathered in memory. Pekko gRPC has no such limit of
 * its own, and the HTTP entity limit would bound a whole stream rather than each message.
 */
final class MessageSizeLimit {
    private static final int PREFIX_BYTES = 5;

    private MessageSizeLimit() {
    }

    static Function<HttpRequest, CompletionStage<HttpResponse>> apply(
            Function<HttpRequest, CompletionStage<HttpResponse>> handler, int maxMessageBytes) {
        return request -> handler.apply(request.withEntity(HttpEntities.createChunked(
                request.entity().getContentType(), request.entity().getDataBytes()
                        .statefulMapConcat(() -> new FrameReader(maxMessageBytes)))));
    }

    /** Follows the frames through the body's chunks, passing every chunk on unchanged. */
    private static final class FrameReader implements Function<ByteString, Iterable<ByteString>> {
        private final int max;
        private final byte[] prefix = new byte[PREFIX_BYTES];
        private int prefixRead;
        private long payloadLeft;

        FrameReader(int max) {
            this.max = max;
        }

        @Override
        public Iterable<ByteString> apply(ByteString chunk) {
            int at = 0;
            while (at < chunk.size()) {
                if (payloadLeft > 0) {
                    int skipped = (int) Math.min(payloadLeft, chunk.size() - at);
                    payloadLeft -= skipped;
                    at += skipped;
                    continue;
                }
                prefix[prefixRead++] = chunk.apply(at++);
                if (prefixRead == PREFIX_BYTES) {
                    prefixRead = 0;
                    payloadLeft = ((prefix[1] & 0xFFL) << 24) | ((prefix[2] & 0xFFL) << 16) | ((prefix[3] & 0xFFL) << 8)
                            | (prefix[4] & 0xFFL);
                    if (payloadLeft > max) {
                        throw GrpcErrors.resourceExhausted("a message of " + payloadLeft + " bytes is larger than "
                                + "ringkernel.grpc.max-message-bytes (" + max + " bytes)");
                    }
                }
            }
            return List.of(chunk);
        }
    }
}
