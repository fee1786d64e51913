package org.ringkernel.http;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.actors.cluster.ShardedKernels;

/**
 * The live status page: {@code GET /} and {@code GET /status} serve one self-contained HTML page from the jar
 * (inline style and script, nothing fetched from elsewhere), which polls {@code GET /api/status} every second
 * and shows the node's backend and device, each kernel's state, rate, latency, batching, queue and failures,
 * and the cluster's nodes where clustering is on.
 */
final class StatusRoutes extends AllDirectives {
    static final String PAGE = "/org/ringkernel/http/status/status.html";

    private final RingKernels kernels;
    private final StatusJson json;
    private final byte[] page = readPage();

    StatusRoutes(RingKernels kernels, JsonResponses responses) {
        this.kernels = kernels;
        this.json = new StatusJson(responses);
    }

    Route route() {
        return concat(
                pathEndOrSingleSlash(() -> get(this::page)),
                path("status", () -> get(this::page)),
                path(segment("api").slash("status"), () -> get(this::status)));
    }

    private Route page() {
        return complete(HttpResponse.create()
                .withEntity(ContentTypes.TEXT_HTML_UTF8, page)
                .addHeader(CacheControl.create(CacheDirectives.NO_CACHE)));
    }

    private Route status() {
        byte[] body = json.status(Instant.now(), kernels.backend(), kernels.deviceDescription(), kernels.kernels(),
                kernels.cluster().map(ShardedKernels::status));
        return complete(HttpResponse.create()
                .withEntity(KernelRoutes.JSON, body)
                .addHeader(CacheControl.create(CacheDirectives.NO_STORE)));
    }

    private static byte[] readPage() {
        try (InputStream in = StatusRoutes.class.getResourceAsStream(PAGE)) {
            if (in == null) {
                throw new IllegalStateException("the status page " + PAGE + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the status page " + PAGE, e);
        }
    }
}
