package org.ringkernel.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.pekko.http.javadsl.coding.Coder;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * The {@code Content-Encoding} of a request body: none ({@code identity}), {@code gzip} or {@code deflate}.
 * Any other coding, or more than one, is answered 415 rather than parsed as if it were plain.
 */
enum ContentCoding {
    IDENTITY(null),
    GZIP(Coder.Gzip),
    DEFLATE(Coder.Deflate);

    private static final Attributes QUIET_FAILURE = Attributes.createLogLevels(Attributes.logLevelDebug(),
            Attributes.logLevelDebug(), Attributes.logLevelOff());

    private final Coder coder;

    ContentCoding(Coder coder) {
        this.coder = coder;
    }

    /**
     * @throws BadRequestException with 415 naming the coding the server does not take
     */
    static ContentCoding of(HttpRequest request) {
        List<String> codings = new ArrayList<>();
        for (HttpHeader header : request.getHeaders()) {
            if (header.is("content-encoding")) {
                for (String coding : header.value().split(",", -1)) {
                    String name = coding.strip().toLowerCase(Locale.ROOT);
                    if (!name.equals("identity")) {
                        codings.add(name);
                    }
                }
            }
        }
        if (codings.isEmpty()) {
            return IDENTITY;
        }
        if (codings.size() > 1) {
            throw unsupported("the body is encoded more than once (Content-Encoding: " + String.join(", ", codings)
                    + "); send it with one of gzip, deflate or identity");
        }
        return switch (codings.get(0)) {
            case "gzip", "x-gzip" -> GZIP;
            case "deflate" -> DEFLATE;
            default -> throw unsupported("Content-Encoding '" + codings.get(0)
                    + "' is not supported; send the body with gzip, deflate or identity");
        };
    }

    /**
     * The decoded bytes of {@code raw}; a body that is not valid in this coding fails the stream with an
     * {@link UnreadableBodyException} (400). Failures of {@code raw} itself pass on unchanged.
     */
    Source<ByteString, Object> decode(Source<ByteString, Object> raw) {
        if (coder == null) {
            return raw;
        }
        String name = name().toLowerCase(Locale.ROOT);
        // A decoder throws on a malformed body, which Pekko would also log as an ERROR of the stage; the failure
        // is the client's and is answered below as a 400, so the stage's own log of it is switched off.
        return raw.via(coder._underlyingScalaCoder().decoderFlow().addAttributes(QUIET_FAILURE))
                .mapError(Throwable.class, failure -> failure instanceof UnreadableBodyException ? failure
                        : new UnreadableBodyException(ApiError.badRequest("the request body is not valid " + name
                                + " (Content-Encoding: " + name + ")" + reason(failure)), false));
    }

    boolean isIdentity() {
        return coder == null;
    }

    private static String reason(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? "" : ": " + message.lines().findFirst().orElse("");
    }

    private static BadRequestException unsupported(String message) {
        return new BadRequestException(ApiError.unsupportedMediaType(message));
    }
}
