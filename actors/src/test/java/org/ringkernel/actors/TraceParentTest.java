package org.ringkernel.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceParentTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";

    @Test
    void readsTheIdsAndTheSampledFlag() {
        assertEquals(Optional.of(new TraceParent(TRACE, SPAN, true)), TraceParent.parse("00-" + TRACE + "-" + SPAN + "-01"));
        assertEquals(Optional.of(new TraceParent(TRACE, SPAN, false)), TraceParent.parse("00-" + TRACE + "-" + SPAN + "-00"));
        // Only bit 0 of the flags means sampled; others are reserved.
        assertEquals(Optional.of(new TraceParent(TRACE, SPAN, true)), TraceParent.parse("00-" + TRACE + "-" + SPAN + "-03"));
        assertEquals(Optional.of(new TraceParent(TRACE, SPAN, false)), TraceParent.parse("00-" + TRACE + "-" + SPAN + "-02"));
    }

    @Test
    void aLaterVersionMayCarryMoreFields() {
        assertEquals(Optional.of(new TraceParent(TRACE, SPAN, true)),
                TraceParent.parse("01-" + TRACE + "-" + SPAN + "-01-whatever"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "00-" + TRACE + "-" + SPAN, "00-" + TRACE + "-" + SPAN + "-1",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-" + SPAN + "-01", "00-00000000000000000000000000000000-" + SPAN + "-01",
            "00-" + TRACE + "-0000000000000000-01", "ff-" + TRACE + "-" + SPAN + "-01",
            "00-" + TRACE + "-" + SPAN + "-01-extra", "00-" + TRACE + "a-" + SPAN + "-01"})
    void aMalformedValueIsNoTraceContext(String header) {
        assertEquals(Optional.empty(), TraceParent.parse(header));
    }

    @Test
    void writesWhatItReads() {
        TraceParent parent = new TraceParent(TraceParent.newTraceId(), TraceParent.newSpanId(), true);
        assertEquals(Optional.of(parent), TraceParent.parse(parent.header()));
        assertEquals(32, parent.traceId().length());
        assertEquals(16, parent.spanId().length());
    }

    @Test
    void aRemoteSampledTraceIsCarriedAndAnUnsampledOneIsNot() {
        RequestTrace remote = RequestTrace.remote(new TraceParent(TRACE, SPAN, true));
        assertTrue(remote.sampled());
        assertEquals(Optional.of(new TraceParent(TRACE, SPAN, true)), remote.traceParent());
        assertFalse(RequestTrace.remote(new TraceParent(TRACE, SPAN, false)).sampled());
        assertEquals(Optional.empty(), RequestTrace.NONE.traceParent());
    }
}
