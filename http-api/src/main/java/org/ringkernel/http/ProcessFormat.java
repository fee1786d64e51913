package org.ringkernel.http;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.util.ByteString;
import org.ringkernel.actors.KernelRef;

/**
 * A body format of {@code POST /api/kernels/{id}/process} beyond JSON and octet-stream: requests whose
 * {@code Content-Type} is its {@link #mediaType()} are run through the kernel by it and answered in the same media
 * type. Formats come from the {@link ProcessFormatProvider}s on the class path, one server-wide instance each,
 * closed when the server stops.
 *
 * <p>The route does the rest as for the built-in formats: it resolves the kernel, reads the whole body within
 * {@code ringkernel.http.max-request-bytes}, parses the params from the query string (each given once, a plain
 * decimal), answers 504 once {@code ringkernel.request-timeout} has run out, and turns failures into errors: a
 * {@link BadRequestException} into its {@link ApiError}, a {@code KernelRequestException} into the error of its
 * code (also as the cause of another exception, whose message the answer then has, so it should include the
 * kernel's), anything else into a 500.
 */
public interface ProcessFormat extends AutoCloseable {

    /** The media type of the requests it reads and the answers it writes, lower case, e.g. {@code text/csv}. */
    String mediaType();

    /**
     * Runs {@code body} through {@code kernel}.
     *
     * @param params the kernel's params, from the query string
     * @return the stage of the answer's body, in {@link #mediaType()}
     * @throws BadRequestException (or fails the stage with it) naming what is wrong with the body
     */
    CompletionStage<ByteString> process(KernelRef kernel, ByteString body, Map<String, Double> params);

    /** Releases what the format holds; called once, when the server stops. */
    @Override
    void close();
}
