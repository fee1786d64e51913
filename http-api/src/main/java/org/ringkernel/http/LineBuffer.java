package org.ringkernel.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.util.ByteString;

/**
 * Splits a byte stream into newline-terminated lines, for one stream. Unlike a framing stage that fails
 * on a line over the limit (and drops the lines it had not yet handed on), it hands on every line before
 * the long one and then {@link #TOO_LONG}, after which it hands on nothing more.
 */
final class LineBuffer {
    /** Stands for a line over the limit; compared by identity. */
    static final ByteString TOO_LONG = ByteString.fromString("\n");
    private static final byte NEWLINE = '\n';

    private final int maxLineBytes;
    private ByteString pending = ByteString.emptyByteString();
    private boolean ended;

    LineBuffer(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    /** The lines {@code chunk} completes, in order. */
    List<ByteString> push(ByteString chunk) {
        List<ByteString> lines = new ArrayList<>();
        if (ended) {
            return lines;
        }
        pending = pending.concat(chunk);
        int newline;
        while ((newline = pending.indexOf(NEWLINE)) >= 0) {
            if (!add(lines, pending.take(newline))) {
                return lines;
            }
            pending = pending.drop(newline + 1);
        }
        if (pending.size() > maxLineBytes) {
            add(lines, pending);
        }
        return lines;
    }

    /** The last line, when the stream ended without a newline after it. */
    Optional<List<ByteString>> finish() {
        List<ByteString> lines = new ArrayList<>();
        if (!ended && !pending.isEmpty()) {
            add(lines, pending);
        }
        return Optional.of(lines);
    }

    /** Whether {@code line} holds only spaces, tabs and carriage returns (checked on the bytes, not decoded). */
    static boolean isBlank(ByteString line) {
        for (int i = 0; i < line.size(); i++) {
            byte b = line.apply(i);
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private boolean add(List<ByteString> lines, ByteString line) {
        if (line.size() > maxLineBytes) {
            lines.add(TOO_LONG);
            ended = true;
            pending = ByteString.emptyByteString();
            return false;
        }
        lines.add(line);
        return true;
    }
}
