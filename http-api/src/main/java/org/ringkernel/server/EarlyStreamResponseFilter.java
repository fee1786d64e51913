package org.ringkernel.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.net.URI;
import java.util.regex.Pattern;
import org.slf4j.Marker;

/**
 * Drops the warning Pekko HTTP logs whenever a success starts before its request has all arrived
 * ({@code Sending an 2xx 'early' response before end of request for <uri> ...}), for the NDJSON stream route
 * only. A stream answers each line as it comes, so on every stream longer than a few lines the response starts
 * early: that is its design, and Pekko has no setting to say so. Raising the level of the logger it uses would
 * also hide the server engine's other warnings (failed responses, aborted connections), so this filter, named
 * in logback.xml, drops that one message for that one route and lets it through anywhere else, where an early
 * success would be a mistake worth a warning.
 */
public final class EarlyStreamResponseFilter extends TurboFilter {
    private static final String WARNING = "Sending an 2xx 'early' response before end of request for ";
    private static final Pattern STREAM_PATH = Pattern.compile("/api/kernels/[^/]+/stream");

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (level != Level.WARN || format == null || !format.startsWith(WARNING)) {
            return FilterReply.NEUTRAL;
        }
        int end = format.indexOf(' ', WARNING.length());
        String uri = format.substring(WARNING.length(), end < 0 ? format.length() : end);
        return isStream(uri) ? FilterReply.DENY : FilterReply.NEUTRAL;
    }

    private static boolean isStream(String uri) {
        try {
            String path = URI.create(uri).getRawPath();
            return path != null && STREAM_PATH.matcher(path).matches();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
