package org.ringkernel.http.arrow;

import java.io.IOException;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.MessageChannelReader;
import org.apache.arrow.vector.ipc.message.MessageResult;

/**
 * Arrow's message reader, remembering the body of the message it read last. When Arrow's stream reader fails on a
 * record batch whose metadata it cannot use (after the body was read, before any vector took it), it drops that
 * body without releasing it; {@link #releaseDropped} frees it once everything else of the request is closed, so a
 * malformed body costs no memory after its answer.
 */
final class BodyTrackingReader extends MessageChannelReader {
    private ArrowBuf lastBody;

    BodyTrackingReader(ReadChannel in, BufferAllocator allocator) {
        super(in, allocator);
    }

    @Override
    public MessageResult readNext() throws IOException {
        MessageResult result = super.readNext();
        lastBody = result == null ? null : result.getBodyBuffer();
        return result;
    }

    /**
     * Releases what is still held of the last body read. Call it only after the readers and every vector of the
     * request are closed: whatever references are left then belong to no one.
     */
    void releaseDropped() {
        if (lastBody != null && lastBody.refCnt() > 0) {
            lastBody.getReferenceManager().release(lastBody.refCnt());
        }
        lastBody = null;
    }
}
