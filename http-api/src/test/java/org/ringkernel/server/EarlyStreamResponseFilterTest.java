package org.ringkernel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

/** The early-response warning is dropped for the NDJSON stream route only; everything else passes. */
class EarlyStreamResponseFilterTest {
    private static final String WARNING = "Sending an 2xx 'early' response before end of request for %s received... "
            + "Note that the connection will be closed after this response.";
    private final EarlyStreamResponseFilter filter = new EarlyStreamResponseFilter();

    private FilterReply decide(Level level, String message) {
        return filter.decide(null, null, level, message, null, null);
    }

    @Test
    void theWarningForAStreamIsDropped() {
        assertEquals(FilterReply.DENY, decide(Level.WARN, WARNING.formatted("http://127.0.0.1:8080/api/kernels/square/stream")));
    }

    @Test
    void theWarningForAnyOtherRouteAndOtherMessagesPass() {
        assertEquals(FilterReply.NEUTRAL, decide(Level.WARN, WARNING.formatted("http://127.0.0.1:8080/api/kernels/square/process")));
        assertEquals(FilterReply.NEUTRAL, decide(Level.WARN, WARNING.formatted("http://127.0.0.1:8080/v2/models/square/infer")));
        assertEquals(FilterReply.NEUTRAL, decide(Level.WARN, "stream on kernel 'square' ended early"));
        assertEquals(FilterReply.NEUTRAL, decide(Level.WARN, null));
    }
}
