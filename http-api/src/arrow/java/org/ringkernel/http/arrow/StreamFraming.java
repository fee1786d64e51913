package org.ringkernel.http.arrow;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.arrow.flatbuf.BodyCompression;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.CompressionType;
import org.apache.arrow.flatbuf.DictionaryBatch;
import org.apache.arrow.flatbuf.Field;
import org.apache.arrow.flatbuf.FieldNode;
import org.apache.arrow.flatbuf.FloatingPoint;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.Precision;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.flatbuf.Schema;
import org.apache.arrow.flatbuf.Type;
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
        int[] widths = null;
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
                        + (size - at) + " bytes of the body are left; an Arrow file (starting ARROW1) is not a stream");
            }
            ByteBuffer metadata = bytes.duplicate().position(at).limit(at + length).slice()
                    .order(ByteOrder.LITTLE_ENDIAN);
            long bodyLength;
            try {
                Message parsed = Message.getRootAsMessage(metadata);
                bodyLength = parsed.bodyLength();
                if (parsed.headerType() == MessageHeader.Schema) {
                    widths = floatWidths(parsed, length, message, start);
                } else {
                    checkBatch(parsed, widths, message, start);
                }
            } catch (IndexOutOfBoundsException | IllegalArgumentException | NullPointerException e) {
                // The flatbuffer's own offsets point outside its metadata.
                throw invalid(message, start, "has metadata that is not an Arrow message ("
                        + e.getClass().getSimpleName() + ")");
            }
            at += length;
            if (bodyLength < 0 || bodyLength > size - at) {
                throw invalid(message, start, "claims a body of " + bodyLength + " bytes, but " + (size - at)
                        + " bytes of the body are left");
            }
            at += (int) bodyLength;
        }
    }

    /**
     * The byte width of each column of a schema whose columns are all plain floats (float32 or float64, no
     * dictionary, no children), else null: the route refuses any other schema before it loads a batch.
     */
    private static int[] floatWidths(Message parsed, int metadataLength, int message, int start) {
        Schema schema = (Schema) parsed.header(new Schema());
        int fields = schema.fieldsLength();
        // Each field takes at least a four-byte offset in the metadata.
        if (fields < 0 || fields > metadataLength / Integer.BYTES) {
            throw invalid(message, start, "is a schema claiming " + fields + " fields in " + metadataLength
                    + " bytes of metadata");
        }
        int[] widths = new int[fields];
        Field field = new Field();
        FloatingPoint type = new FloatingPoint();
        for (int f = 0; f < widths.length; f++) {
            schema.fields(field, f);
            if (field.typeType() != Type.FloatingPoint || field.dictionary() != null || field.childrenLength() != 0) {
                return null;
            }
            field.type(type);
            widths[f] = type.precision() == Precision.SINGLE ? Float.BYTES
                    : type.precision() == Precision.DOUBLE ? Double.BYTES : 0;
            if (widths[f] == 0) {
                return null;
            }
        }
        return widths;
    }

    /**
     * A record batch's metadata (also a dictionary batch's) is read whole here, every node and buffer, each buffer
     * must lie inside the body, and, under a schema of plain floats, each column's buffers must hold its rows:
     * Arrow's reader allocates the body before it reads that metadata, and a failure while it loads the batch
     * leaves memory allocated that nothing releases. A compressed batch is refused, naming its codec.
     */
    private static void checkBatch(Message parsed, int[] widths, int message, int start) {
        RecordBatch batch = switch (parsed.headerType()) {
            case MessageHeader.RecordBatch -> (RecordBatch) parsed.header(new RecordBatch());
            case MessageHeader.DictionaryBatch -> ((DictionaryBatch) parsed.header(new DictionaryBatch())).data();
            default -> null;
        };
        String wrong = batch == null ? "" : batchProblem(batch, parsed.bodyLength(), widths);
        if (!wrong.isEmpty()) {
            throw invalid(message, start, wrong);
        }
    }

    /**
     * What is wrong with a batch's metadata over a body of {@code bodyLength} bytes, its columns of {@code widths}
     * bytes (null: not known), in words; empty if nothing.
     */
    private static String batchProblem(RecordBatch batch, long bodyLength, int[] widths) {
        BodyCompression compression = batch.compression();
        if (compression != null) {
            String codec = compression.codec() >= 0 && compression.codec() < CompressionType.names.length
                    ? CompressionType.name(compression.codec()) : "codec " + compression.codec();
            return "is a record batch compressed with " + codec + "; the process route reads uncompressed Arrow IPC "
                    + "streams, so write it without compression";
        }
        if (batch.length() < 0) {
            return "is a record batch of " + batch.length() + " rows";
        }
        FieldNode node = new FieldNode();
        for (int n = 0; n < batch.nodesLength(); n++) {
            batch.nodes(node, n);
            if (node.length() < 0 || node.nullCount() < 0 || node.nullCount() > node.length()) {
                return "describes column node " + n + " with " + node.length() + " rows and " + node.nullCount()
                        + " nulls";
            }
        }
        Buffer buffer = new Buffer();
        for (int b = 0; b < batch.buffersLength(); b++) {
            batch.buffers(buffer, b);
            if (buffer.offset() < 0 || buffer.length() < 0 || buffer.offset() > bodyLength - buffer.length()) {
                return "places buffer " + b + " at bytes " + buffer.offset() + " to " + (buffer.offset()
                        + buffer.length()) + ", outside its body of " + bodyLength + " bytes";
            }
        }
        for (int v = 0; v < batch.variadicBufferCountsLength(); v++) {
            if (batch.variadicBufferCounts(v) < 0) {
                return "gives a negative count of variadic buffers";
            }
        }
        return widths == null ? "" : floatColumnsProblem(batch, widths);
    }

    /** What is wrong with the nodes and buffers of a batch of plain float columns; empty if nothing. */
    private static String floatColumnsProblem(RecordBatch batch, int[] widths) {
        if (batch.nodesLength() != widths.length || batch.buffersLength() != 2 * widths.length) {
            return "has " + batch.nodesLength() + " column nodes and " + batch.buffersLength() + " buffers, where "
                    + "the schema's " + widths.length + " float columns take one node and two buffers each";
        }
        FieldNode node = new FieldNode();
        Buffer validity = new Buffer();
        Buffer values = new Buffer();
        for (int c = 0; c < widths.length; c++) {
            batch.nodes(node, c);
            batch.buffers(validity, 2 * c);
            batch.buffers(values, 2 * c + 1);
            long rows = node.length();
            if (rows != batch.length()) {
                return "gives column " + c + " " + rows + " rows in a batch of " + batch.length() + " rows";
            }
            if (rows > values.length() / widths[c]) {
                return "gives column " + c + " " + rows + " rows but " + values.length() + " bytes of values";
            }
            // A bitmap may be left out where there are no nulls; one that is given must cover every row.
            if ((node.nullCount() > 0 || validity.length() > 0)
                    && validity.length() < rows / 8 + (rows % 8 == 0 ? 0 : 1)) {
                return "gives column " + c + " " + rows + " rows but " + validity.length()
                        + " bytes of validity bitmap";
            }
        }
        return "";
    }

    private static BadRequestException invalid(int message, int start, String what) {
        return BadRequestException.invalid("the body is not a valid Arrow IPC stream: message " + message
                + " (at byte " + start + ") " + what);
    }
}
