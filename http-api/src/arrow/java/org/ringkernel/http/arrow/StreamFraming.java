package org.ringkernel.http.arrow;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.arrow.flatbuf.BodyCompression;
import org.apache.arrow.flatbuf.CompressionType;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.pekko.util.ByteString;
import org.ringkernel.http.BadRequestException;

/**
 * Checks the framing of an Arrow IPC stream before Arrow's reader sees it. The reader allocates a message's
 * metadata on the heap at the size its length prefix claims, before reading it: four bytes of garbage (or the
 * {@code ARROW1} magic of an Arrow file sent as a stream) would have it allocate up to 2 GiB from one request. So
 * every message is walked here first, over the body's own bytes, and each must fit in what is left of the body. A
 * record batch whose buffers are compressed (LZ4 or ZSTD) is refused with its codec named: the route reads
 * uncompressed streams, the default of every Arrow writer.
 *
 * <p>A message is, in little-endian order:
 *
 * <table>
 *   <caption>One message of an Arrow IPC stream</caption>
 *   <tr><th>bytes</th><th>field</th></tr>
 *   <tr><td>4</td><td>{@code 0xFFFFFFFF}, the continuation marker (absent in the format before Arrow 0.15)</td></tr>
 *   <tr><td>4</td><td>metadata length {@code m}; 0 is the end-of-stream marker</td></tr>
 *   <tr><td>{@code m}</td><td>the {@code Message} flatbuffer, which holds the body's length {@code b}</td></tr>
 *   <tr><td>{@code b}</td><td>the message body (the buffers of a record batch)</td></tr>
 * </table>
 */
final class StreamFraming {
    private static final int CONTINUATION = 0xFFFFFFFF;

    private StreamFraming() {
    }

    /**
     * Walks every message of {@code body} up to the end-of-stream marker (or the body's end, which the reader then
     * finds cut off).
     *
     * @throws BadRequestException naming the message and what it claims, when a length is negative or reaches past
     *     the body, or a message's metadata is not a readable {@code Message}
     */
    static void check(ByteString body) {
        ByteBuffer bytes = body.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int size = bytes.remaining();
        int at = 0;
        for (int message = 1; size - at >= Integer.BYTES; message++) {
            int start = at;
            int length = bytes.getInt(at);
            at += Integer.BYTES;
            if (length == CONTINUATION) {
                if (size - at < Integer.BYTES) {
                    return;
                }
                length = bytes.getInt(at);
                at += Integer.BYTES;
            }
            if (length == 0) {
                return;
            }
            if (length < 0 || length > size - at) {
                throw invalid(message, start, "claims " + Integer.toUnsignedLong(length) + " bytes of metadata, but "
                        + (size - at) + " bytes of the body are left");
            }
            long bodyLength = bodyLength(bytes, at, length, message, start);
            at += length;
            if (bodyLength < 0 || bodyLength > size - at) {
                throw invalid(message, start, "claims a body of " + bodyLength + " bytes, but " + (size - at)
                        + " bytes of the body are left");
            }
            at += (int) bodyLength;
        }
    }

    /**
     * The body length the message's metadata gives; a compressed record batch is refused here, naming its codec, as
     * the route reads uncompressed streams.
     */
    private static long bodyLength(ByteBuffer bytes, int at, int length, int message, int start) {
        ByteBuffer metadata = bytes.duplicate().position(at).limit(at + length).slice().order(ByteOrder.LITTLE_ENDIAN);
        BodyCompression compression;
        long bodyLength;
        try {
            Message parsed = Message.getRootAsMessage(metadata);
            bodyLength = parsed.bodyLength();
            compression = parsed.headerType() == MessageHeader.RecordBatch
                    ? ((RecordBatch) parsed.header(new RecordBatch())).compression() : null;
        } catch (RuntimeException e) {
            throw invalid(message, start, "has metadata that is not an Arrow message (" + e.getClass().getSimpleName()
                    + ")");
        }
        if (compression != null) {
            String codec = compression.codec() >= 0 && compression.codec() < CompressionType.names.length
                    ? CompressionType.name(compression.codec()) : "codec " + compression.codec();
            throw BadRequestException.invalid("message " + message + " (at byte " + start + ") is a record batch "
                    + "compressed with " + codec + "; the process route reads uncompressed Arrow IPC streams, so "
                    + "write it without compression");
        }
        return bodyLength;
    }

    private static BadRequestException invalid(int message, int start, String what) {
        return BadRequestException.invalid("the body is not a valid Arrow IPC stream: message " + message
                + " (at byte " + start + ") " + what + "; an Arrow file (starting ARROW1) is not a stream");
    }
}
