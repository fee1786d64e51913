package org.ringkernel.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.ContentReference;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Says, in the API's own words, what is wrong with JSON the parser refused: where (the line and column, and the
 * field path when the error sits inside the request), what was expected and what was found, e.g.
 * {@code malformed JSON at line 1, column 23 (in inputs[0].data): expected a comma or ']', got '2'} or
 * {@code JSON ends early at line 1, column 12 (in inputs): the array opened at line 1, column 11 is not closed}.
 * The parser's own messages name its classes and settings, so they are only used to tell the kinds of error
 * apart and are never shown.
 */
final class MalformedJson {
    /** How a position is written: a body has lines; a line of an NDJSON stream, already named, has columns only. */
    enum Positions {
        LINES, COLUMNS;

        String of(JsonLocation location) {
            return this == LINES ? "line " + location.getLineNr() + ", column " + location.getColumnNr()
                    : "column " + location.getColumnNr();
        }
    }

    private static final String ANY_VALUE = "a value (a number, a string, true, false, null, an array or an object)";

    private final byte[] body;
    private final Positions positions;

    /** Reads a value from a parser positioned before its first token. */
    @FunctionalInterface
    interface Reading<T> {
        T read(JsonParser parser) throws IOException;
    }

    /**
     * Reads the one JSON object {@code body} holds with {@code reading}: an empty body, malformed JSON, content after
     * the object and text that is not UTF-8 are each a 400 that says so in our words.
     *
     * @param example a request as it should look, for the message about an empty body
     */
    static <T> T readObject(JsonFactory factory, byte[] body, Positions positions, String example, Reading<T> reading) {
        if (body.length == 0) {
            throw BadRequestException.invalid("the request body is empty; expected JSON like " + example);
        }
        MalformedJson malformed = new MalformedJson(body, positions);
        try (JsonParser parser = factory.createParser(body)) {
            try {
                T value = reading.read(parser);
                malformed.requireEnd(parser, "the request object");
                return value;
            } catch (JsonProcessingException e) {
                throw malformed.of(e, parser);
            }
        } catch (IOException e) {
            throw BadRequestException.invalid("the request body is not JSON text in UTF-8");
        }
    }

    MalformedJson(byte[] body, Positions positions) {
        this.body = body;
        this.positions = positions;
    }

    /** The error to answer for {@code e}, which {@code parser}, reading {@code body}, threw. */
    BadRequestException of(JsonProcessingException e, JsonParser parser) {
        JsonStreamContext context = parser.getParsingContext();
        if (e instanceof StreamConstraintsException) {
            return BadRequestException.invalid("a number" + in(context, true) + " has more than "
                    + JsonRequestReader.MAX_NUMBER_LENGTH + " characters, more than any float32 needs");
        }
        JsonLocation at = e.getLocation() == null ? parser.currentLocation() : e.getLocation();
        String problem = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e instanceof JsonEOFException || at.getByteOffset() >= body.length) {
            return endsEarly(at, context, e instanceof JsonEOFException eof ? eof.getTokenBeingDecoded() : null, parser);
        }
        if (problem.startsWith("Duplicate field")) {
            return BadRequestException.invalid("duplicate field '" + context.getCurrentName() + "' at "
                    + positions.of(at) + in(context, false) + "; each field may appear once in an object");
        }
        String found = found(at);
        String prefix = "malformed JSON at " + positions.of(at);
        if (problem.contains("comma to separate Array")) {
            return invalid(prefix + in(context, false), "expected a comma or ']', got " + found);
        }
        if (problem.contains("comma to separate Object")) {
            return invalid(prefix + in(context, false), "expected a comma or '}', got " + found);
        }
        if (problem.contains("colon to separate")) {
            return invalid(prefix + in(context, true), "expected ':' after the field name, got " + found);
        }
        if (problem.contains("double-quote to start field name")) {
            return invalid(prefix + in(context, false), "expected a field name in double quotes, got " + found);
        }
        if (problem.startsWith("Unexpected close marker")) {
            return invalid(prefix + in(context, false), context.inRoot() ? found + " closes nothing"
                    : "expected " + (context.inArray() ? "']' to close the array" : "'}' to close the object")
                    + " opened at " + positions.of(opened(context)) + ", got " + found);
        }
        if (problem.startsWith("Non-standard token")) {
            return invalid(prefix + in(context, true), quoted(problem) + " is not a JSON number; JSON has no NaN "
                    + "or infinities, only finite numbers");
        }
        if (problem.contains("numeric value")) {
            return invalid(prefix + in(context, true), "a malformed number: " + numberProblem(problem));
        }
        if (problem.startsWith("Illegal unquoted character")) {
            return invalid(prefix + in(context, true), "a string holds " + found
                    + ", which must be escaped (e.g. \\n, \\t or \\u0001)");
        }
        if (problem.startsWith("Unrecognized character escape")) {
            return invalid(prefix + in(context, true), "a string holds an unknown escape; JSON's are \\\", \\\\, "
                    + "\\/, \\b, \\f, \\n, \\r, \\t and \\u with four hex digits");
        }
        if (problem.startsWith("Invalid UTF-8") || problem.startsWith("Invalid UTF-32")) {
            return invalid(prefix, "the body is not valid UTF-8");
        }
        if (problem.startsWith("Unrecognized token")) {
            return invalid(prefix + in(context, true), "expected " + ANY_VALUE + ", got " + quoted(problem));
        }
        if (problem.contains("expected a value") || problem.contains("was expecting (JSON")) {
            return invalid(prefix + in(context, true), "expected " + ANY_VALUE + ", got " + found);
        }
        return invalid(prefix + in(context, true), "unexpected " + found);
    }

    /**
     * Checks that nothing follows the request; {@code what} names the request, e.g. "the request object".
     *
     * @throws BadRequestException naming what follows and where
     */
    void requireEnd(JsonParser parser, String what) throws IOException {
        JsonLocation at;
        String found;
        try {
            if (parser.nextToken() == null) {
                return;
            }
            at = parser.currentTokenLocation();
            found = parser.currentToken() == JsonToken.START_OBJECT ? "another object"
                    : parser.currentToken() == JsonToken.START_ARRAY ? "an array" : found(at);
        } catch (StreamConstraintsException e) {
            at = parser.currentLocation();
            found = "a number";
        } catch (JsonProcessingException e) {
            at = e.getLocation() == null ? parser.currentLocation() : e.getLocation();
            found = found(at);
        }
        throw BadRequestException.invalid("unexpected content after " + what + " at " + positions.of(at) + ": "
                + found + "; a body holds one request");
    }

    private BadRequestException endsEarly(JsonLocation at, JsonStreamContext context, JsonToken decoding,
                                          JsonParser parser) {
        String open;
        if (decoding == JsonToken.VALUE_STRING) {
            open = "the string opened at " + positions.of(parser.currentTokenLocation()) + " is not closed";
        } else if (decoding == JsonToken.FIELD_NAME) {
            open = "a field name is not finished";
        } else if (context.inRoot()) {
            open = "the value is not finished";
        } else {
            open = null;
        }
        String container = context.inRoot() ? null : (context.inArray() ? "the array" : "the object")
                + " opened at " + positions.of(opened(context)) + " is not closed";
        String what = open == null ? container : container == null ? open : open + ", and " + container;
        return BadRequestException.invalid("JSON ends early at " + positions.of(at) + in(context, false) + ": " + what);
    }

    private static BadRequestException invalid(String where, String what) {
        return BadRequestException.invalid(where + ": " + what);
    }

    private static JsonLocation opened(JsonStreamContext context) {
        return context.startLocation(ContentReference.unknown());
    }

    /**
     * {@code " (in inputs[0].data)"}, the field the error sits in: the array or object {@code context} reads, or
     * with {@code element} the value in it being read; empty at the top of the body.
     */
    private static String in(JsonStreamContext context, boolean element) {
        StringBuilder path = new StringBuilder();
        name(path, element ? context : context.getParent());
        return path.isEmpty() ? "" : " (in " + path + ")";
    }

    /** Appends the path of the value {@code context} is at, from the top. */
    private static void name(StringBuilder path, JsonStreamContext context) {
        if (context == null || context.inRoot()) {
            return;
        }
        name(path, context.getParent());
        if (context.inArray()) {
            path.append('[').append(Math.max(0, context.getCurrentIndex())).append(']');
        } else if (context.getCurrentName() != null) {
            path.append(path.isEmpty() ? "" : ".").append(context.getCurrentName());
        }
    }

    /** What the body holds at {@code at}: a word such as {@code 'tru'}, a character, or the end of the body. */
    private String found(JsonLocation at) {
        long offset = at.getByteOffset();
        if (offset < 0 || offset >= body.length) {
            return "the end of the body";
        }
        int start = (int) offset;
        int b = body[start] & 0xFF;
        if (b < 0x20 || b == 0x7F) {
            return "a control character (code " + b + ")";
        }
        if (b >= 0x80) {
            return "a non-ASCII character";
        }
        int end = start;
        while (end < body.length && end - start < 20 && isWordByte(body[end])) {
            end++;
        }
        return end > start + 1 ? "'" + new String(body, start, end - start, StandardCharsets.US_ASCII)
                + (end - start == 20 ? "…'" : "'") : "'" + (char) b + "'";
    }

    private static boolean isWordByte(byte b) {
        return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '-'
                || b == '+' || b == '.';
    }

    /** The client's own text the parser quoted, e.g. {@code 'NaN'}, abbreviated. */
    private static String quoted(String problem) {
        int open = problem.indexOf('\'');
        int close = open < 0 ? -1 : problem.indexOf('\'', open + 1);
        if (close < 0) {
            return "a word that is not JSON";
        }
        String word = problem.substring(open + 1, close);
        return "'" + (word.length() <= 20 ? word : word.substring(0, 20) + "…") + "'";
    }

    private static String numberProblem(String problem) {
        if (problem.contains("Leading zeroes")) {
            return "a number has a leading zero (write 7, not 07)";
        }
        if (problem.contains("minus sign")) {
            return "a minus sign must be followed by a digit";
        }
        if (problem.contains("Decimal point")) {
            return "a decimal point must be followed by a digit";
        }
        if (problem.contains("Exponent")) {
            return "an exponent (e or E) must be followed by a digit";
        }
        return "expected digits, an optional fraction and an optional exponent";
    }
}
