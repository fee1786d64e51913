package org.ringkernel.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.ringkernel.bridge.kernel.KernelRequest;

/**
 * The {@code X-Routing-Key} request header: every request with the same key goes to the same kernel instance (in a
 * cluster, the same entity), for clients that keep state or warm data per key. On a stream it applies to every
 * line.
 */
final class RoutingKeyHeader {
    static final String NAME = "X-Routing-Key";
    static final int MAX_LENGTH = 256;

    private RoutingKeyHeader() {
    }

    /**
     * The key {@code request} names, if any.
     *
     * @throws BadRequestException when the header is empty, too long, or given more than once
     */
    static Optional<String> of(HttpRequest request) {
        List<String> values = new ArrayList<>();
        request.getHeaders().forEach(header -> {
            if (header.is(NAME.toLowerCase(Locale.ROOT))) {
                values.add(header.value());
            }
        });
        if (values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw BadRequestException.invalid("the " + NAME + " header is given " + values.size() + " times; give one key");
        }
        String key = values.get(0).strip();
        if (key.isEmpty() || key.length() > MAX_LENGTH) {
            throw BadRequestException.invalid("the " + NAME + " header must hold 1 to " + MAX_LENGTH
                    + " characters, got " + key.length());
        }
        return Optional.of(key);
    }

    /** {@code kernelRequest} with the key, when there is one. */
    static KernelRequest apply(Optional<String> key, KernelRequest kernelRequest) {
        return key.map(kernelRequest::withRoutingKey).orElse(kernelRequest);
    }
}
