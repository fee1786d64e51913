package org.ringkernel.actors;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A W3C trace context {@code traceparent} value: {@code 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>},
 * of which bit 0 of the flags says the caller sampled the trace.
 *
 * @param traceId 32 lowercase hex digits, not all zero
 * @param spanId 16 lowercase hex digits, not all zero: the caller's span, the parent of ours
 * @param sampled whether the trace is recorded
 */
public record TraceParent(String traceId, String spanId, boolean sampled) {
    /** The header's name, in requests and responses. */
    public static final String HEADER = "traceparent";

    // Version 00 has exactly four fields; a later version may add fields after the flags, which we ignore.
    private static final Pattern FORMAT = Pattern.compile(
            "([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_SPAN = "0".repeat(16);

    /**
     * Checks the ids.
     *
     * @throws IllegalArgumentException when either is malformed or all zeros
     */
    public TraceParent {
        if (!FORMAT.matcher("00-" + traceId + "-" + spanId + "-00").matches() || ZERO_TRACE.equals(traceId)
                || ZERO_SPAN.equals(spanId)) {
            throw new IllegalArgumentException("not a trace id and span id: " + traceId + ", " + spanId);
        }
    }

    /**
     * The trace context {@code header} carries, or empty where it is not one: wrong length or digits, an all-zero
     * id, version {@code ff}, or fields after the flags in version 00.
     */
    public static Optional<TraceParent> parse(String header) {
        String value = header.strip();
        var matcher = FORMAT.matcher(value);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        String version = matcher.group(1);
        if ("ff".equals(version) || ("00".equals(version) && matcher.group(5) != null)
                || ZERO_TRACE.equals(matcher.group(2)) || ZERO_SPAN.equals(matcher.group(3))) {
            return Optional.empty();
        }
        boolean sampled = (Integer.parseInt(matcher.group(4), 16) & 1) == 1;
        return Optional.of(new TraceParent(matcher.group(2), matcher.group(3), sampled));
    }

    /** A new trace's id: 16 random bytes, not all zero. */
    public static String newTraceId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return hex(random.nextLong() | 1L, 16) + hex(random.nextLong(), 16);
    }

    /** A new span's id: 8 random bytes, not all zero. */
    public static String newSpanId() {
        return hex(ThreadLocalRandom.current().nextLong() | 1L, 16);
    }

    /** The header's value, version 00. */
    public String header() {
        return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
    }

    private static String hex(long value, int digits) {
        String text = Long.toHexString(value);
        return "0".repeat(digits - text.length()) + text.toLowerCase(Locale.ROOT);
    }
}
