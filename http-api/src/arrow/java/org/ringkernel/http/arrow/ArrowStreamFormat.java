package org.ringkernel.http.arrow;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.memory.RootAllocator;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.util.ByteString;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.data.arrow.ArrowKernels;
import org.ringkernel.http.ApiError;
import org.ringkernel.http.BadRequestException;
import org.ringkernel.http.FormatUnavailableException;
import org.ringkernel.http.ProcessFormat;
import org.ringkernel.server.HttpSettings;

/**
 * Arrow IPC streams through the process route: the body is a stream whose float columns ({@code Float4} or
 * {@code Float8}) are the kernel's inputs, and the answer is a stream of one column, the kernel's first output,
 * with one record batch per batch of the request, in order. {@code ArrowStreamRun} reads, runs and writes one body.
 *
 * <p><b>Memory.</b> Arrow's buffers lie outside the heap, in one allocator of this format bounded to four times
 * what one request of {@code max-request-bytes} may take. Each request takes its own bound from it up front, as a
 * child allocator that is closed when the request ends, however it ends: a request that finds too little left is
 * answered 503 (overloaded, try again), and a body that asks for more than its bound (a record batch declaring
 * more bytes than the body holds) is a malformed body, 400.
 */
public final class ArrowStreamFormat implements ProcessFormat {
    /** The media type of requests and answers. */
    public static final String MEDIA_TYPE = "application/vnd.apache.arrow.stream";

    /** Requests at their largest that the format's memory holds at once. */
    static final int REQUESTS_AT_MOST = 4;

    private final ArrowKernels arrow;
    private final HttpSettings settings;
    private final BufferAllocator memory;

    ArrowStreamFormat(RingKernels kernels, HttpSettings settings) {
        this.arrow = ArrowKernels.on(kernels);
        this.settings = settings;
        this.memory = new RootAllocator(REQUESTS_AT_MOST * requestBound(settings.maxRequestBytes()));
        requireNioAccess(memory);
    }

    /**
     * Arrow's reader wraps its buffers as direct {@code ByteBuffer}s, which it can only do with java.nio opened to
     * it: found out here, as the server starts, rather than as a failure of every request.
     */
    private static void requireNioAccess(BufferAllocator memory) {
        try (ArrowBuf probe = memory.buffer(Long.BYTES)) {
            probe.nioBuffer(0, Long.BYTES);
        } catch (RuntimeException e) {
            memory.close();
            throw new FormatUnavailableException("the process route's Arrow format needs the JVM option "
                    + "--add-opens=java.base/java.nio=ALL-UNNAMED (java -jar and bin/ringkernel-server give it): "
                    + e.getMessage(), e);
        }
    }

    /**
     * The Arrow memory one request of {@code bodyBytes} may take: its input batch (at most the body), the output
     * batch (a column of at most the input's rows, or a whole-column kernel's output, which fits the arena), and
     * the output's copy going into the stream.
     */
    long requestBound(long bodyBytes) {
        return 2 * bodyBytes + arrow.arenaBytes();
    }

    @Override
    public String mediaType() {
        return MEDIA_TYPE;
    }

    @Override
    public CompletionStage<ByteString> process(KernelRef kernel, ByteString body, Map<String, Double> params) {
        if (body.isEmpty()) {
            throw BadRequestException.invalid("the body is empty; an Arrow IPC stream starts with its schema");
        }
        long bound = requestBound(body.size());
        BufferAllocator allocator;
        try {
            allocator = memory.newChildAllocator("process " + kernel.id(), bound, bound);
        } catch (OutOfMemoryException e) {
            throw new BadRequestException(new ApiError(StatusCodes.SERVICE_UNAVAILABLE, "overloaded",
                    "the Arrow memory of the process route (" + memory.getLimit() + " bytes) is taken by other "
                            + "requests; try again", Optional.of(settings.retryAfter())));
        }
        CompletableFuture<ByteString> answer = new CompletableFuture<>();
        new ArrowStreamRun(arrow, kernel, params, body, allocator, settings.maxElementsPerInput(), answer).start();
        return answer;
    }

    /** Bytes of Arrow memory in use by requests now; 0 once every request has ended. */
    long allocatedBytes() {
        return memory.getAllocatedMemory();
    }

    @Override
    public void close() {
        memory.close();
    }
}
