package org.ringkernel.http;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.ringkernel.actors.BatchingMode;
import org.ringkernel.actors.BatchingSettings;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.KernelRequestException;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.server.HttpSettings;

/**
 * {@code PUT /admin/kernels/{id}/batching} with a JSON body {@code {"mode","max_batch_size","max_delay_us"}}
 * (each optional; {@code max_batch_size} from 1 to the ring's capacity, {@code ringkernel.queue-capacity}):
 * changes a kernel's batching while it runs. The route exists only when {@code ringkernel.http.admin-token} is
 * set, and then requires it as a bearer token.
 */
final class AdminRoutes extends AllDirectives {
    private final RingKernels kernels;
    private final HttpSettings settings;
    private final JsonResponses responses;
    private final RequestBodies bodies;
    private final ObjectMapper mapper = new ObjectMapper(JsonRequestReader.strictFactory());

    /** @param bodies the server's body reader, whose budget of bytes held the admin route shares */
    AdminRoutes(RingKernels kernels, HttpSettings settings, JsonResponses responses, RequestBodies bodies) {
        this.kernels = kernels;
        this.settings = settings;
        this.responses = responses;
        this.bodies = bodies;
    }

    Route route() {
        if (settings.adminToken().isEmpty()) {
            return reject();
        }
        String expected = "Bearer " + settings.adminToken().get();
        return pathPrefix("admin", () -> path(segment("kernels").slash(segment()).slash("batching"), id ->
                put(() -> optionalHeaderValueByName("Authorization", auth -> {
                    if (auth.isEmpty() || !constantTimeEquals(auth.get(), expected)) {
                        return complete(unauthorized(auth.isEmpty()));
                    }
                    return extractRequest(request -> bodies.strict(body -> {
                        requireJson(request.entity().getContentType());
                        return setBatching(id, body.toArray());
                    }));
                }))));
    }

    private static void requireJson(ContentType contentType) {
        if (!contentType.mediaType().equals(MediaTypes.APPLICATION_JSON)) {
            throw new BadRequestException(ApiError.unsupportedMediaType(
                    "expected Content-Type application/json, got " + contentType));
        }
    }

    private Route setBatching(String id, byte[] body) {
        KernelRef kernel;
        try {
            kernel = kernels.kernel(id);
        } catch (KernelRequestException e) {
            throw new BadRequestException(ApiError.of(e, settings.retryAfter()));
        }
        BatchingSettings updated = merge(kernel.info().batching(), parse(body), kernel.capacity());
        return onSuccess(kernel.setBatching(updated), done ->
                complete(HttpResponse.create().withEntity(KernelRoutes.JSON, responses.batching(updated))));
    }

    private JsonNode parse(byte[] body) {
        MalformedJson malformed = new MalformedJson(body, MalformedJson.Positions.LINES);
        try (JsonParser parser = mapper.getFactory().createParser(body)) {
            try {
                JsonNode node = mapper.readTree(parser);
                if (node == null || !node.isObject()) {
                    throw BadRequestException.invalid("expected a JSON object like "
                            + "{\"mode\":\"opportunistic\",\"max_batch_size\":32,\"max_delay_us\":200}");
                }
                malformed.requireEnd(parser, "the batching object");
                return node;
            } catch (JsonProcessingException e) {
                throw malformed.of(e, parser);
            }
        } catch (IOException e) {
            throw BadRequestException.invalid("the request body is not JSON text in UTF-8");
        }
    }

    /** {@code current} with the fields of {@code update}; a batch holds at most the ring's {@code capacity}. */
    private BatchingSettings merge(BatchingSettings current, JsonNode update, int capacity) {
        update.fieldNames().forEachRemaining(field -> {
            if (!field.equals("mode") && !field.equals("max_batch_size") && !field.equals("max_delay_us")) {
                throw BadRequestException.invalid("unknown field '" + field
                        + "'; batching has mode, max_batch_size and max_delay_us");
            }
        });
        BatchingMode mode = current.mode();
        if (update.has("mode")) {
            try {
                mode = BatchingMode.parse(update.get("mode").asText());
            } catch (IllegalArgumentException e) {
                throw BadRequestException.invalid("mode: " + e.getMessage());
            }
        }
        int size = current.maxBatchSize();
        if (update.has("max_batch_size")) {
            JsonNode value = update.get("max_batch_size");
            if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1 || value.asInt() > capacity) {
                throw BadRequestException.invalid("max_batch_size must be a whole number in [1, " + capacity
                        + "] (1 to ringkernel.queue-capacity), got " + value);
            }
            size = value.asInt();
        }
        Duration delay = current.maxDelay();
        if (update.has("max_delay_us")) {
            JsonNode value = update.get("max_delay_us");
            if (!value.isNumber() || value.asDouble() < 0 || value.asDouble() > 60e6) {
                throw BadRequestException.invalid("max_delay_us must be a number of microseconds in [0, 60000000], got "
                        + value);
            }
            delay = Duration.ofNanos((long) (value.asDouble() * 1e3));
        }
        return new BatchingSettings(mode, size, delay);
    }

    private HttpResponse unauthorized(boolean missing) {
        ApiError error = new ApiError(StatusCodes.UNAUTHORIZED, "unauthorized", missing
                ? "the admin route needs the admin token as 'Authorization: Bearer <token>'"
                : "the admin token is wrong", Optional.empty());
        return HttpResponse.create().withStatus(error.status()).withEntity(KernelRoutes.JSON, responses.error(error))
                .addHeader(WWWAuthenticate.create(HttpChallenge.create("Bearer", "ringkernel")));
    }

    /** Compares without leaking, through timing, how much of the token matched. */
    private static boolean constantTimeEquals(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
