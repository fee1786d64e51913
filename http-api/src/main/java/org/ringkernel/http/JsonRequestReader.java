package org.ringkernel.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.NumberInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * Reads {@code {"inputs":[{"shape":[n],"data":[…]}…],"params":{…}}} into a {@link KernelRequest} with a
 * streaming parser: data goes straight into float arrays, limits are checked while reading, a field given twice
 * in an object is an error rather than last-wins, and every error names the field (e.g.
 * {@code inputs[1].data[7]}) and what was expected.
 */
final class JsonRequestReader {
    /** The longest number taken, in characters: a float32 needs far fewer. */
    static final int MAX_NUMBER_LENGTH = 64;
    private static final String EXAMPLE = "{\"inputs\":[{\"shape\":[3],\"data\":[1,2,3]}],\"params\":{}}";

    private final JsonFactory factory;
    private final int maxElementsPerInput;

    JsonRequestReader(int maxElementsPerInput) {
        this.factory = strictFactory();
        this.maxElementsPerInput = maxElementsPerInput;
    }

    /** A parser factory that refuses a field given twice in an object and numbers of more than 64 characters. */
    static JsonFactory strictFactory() {
        return JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(MAX_NUMBER_LENGTH).build())
                .build();
    }

    /**
     * @throws BadRequestException naming what is wrong (400), or a too-large input (413)
     */
    KernelRequest read(byte[] body) {
        return read(body, MalformedJson.Positions.LINES);
    }

    /**
     * One line of an NDJSON stream, whose errors give columns only: the caller names the line.
     *
     * @throws BadRequestException naming what is wrong (400), or a too-large input (413)
     */
    KernelRequest readLine(byte[] line) {
        return read(line, MalformedJson.Positions.COLUMNS);
    }

    private KernelRequest read(byte[] body, MalformedJson.Positions positions) {
        return MalformedJson.readObject(factory, body, positions, EXAMPLE, this::readRequest);
    }

    private KernelRequest readRequest(JsonParser parser) throws IOException {
        expect(parser.nextToken(), JsonToken.START_OBJECT, "the request", parser);
        List<Tensor> inputs = null;
        Map<String, Double> params = Map.of();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "inputs" -> inputs = readInputs(parser);
                case "params" -> params = readParams(parser);
                default -> throw BadRequestException.invalid("unknown field '" + field
                        + "'; a request has inputs and params");
            }
        }
        if (inputs == null) {
            throw BadRequestException.invalid("missing field 'inputs'; expected JSON like " + EXAMPLE);
        }
        return new KernelRequest(inputs, params);
    }

    private List<Tensor> readInputs(JsonParser parser) throws IOException {
        expect(parser.currentToken(), JsonToken.START_ARRAY, "inputs", parser);
        List<Tensor> inputs = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            inputs.add(readTensor(parser, "inputs[" + inputs.size() + "]"));
        }
        if (inputs.isEmpty()) {
            throw BadRequestException.invalid("inputs is empty; a kernel takes at least one input");
        }
        return inputs;
    }

    private Tensor readTensor(JsonParser parser, String name) throws IOException {
        expect(parser.currentToken(), JsonToken.START_OBJECT, name, parser);
        int[] shape = null;
        float[] data = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "shape" -> shape = readShape(parser, name + ".shape");
                case "data" -> data = readData(parser, name + ".data");
                default -> throw BadRequestException.invalid("unknown field '" + field + "' in " + name
                        + "; an input has shape and data");
            }
        }
        if (data == null) {
            throw BadRequestException.invalid(name + " has no data");
        }
        if (shape == null) {
            shape = new int[] {data.length};
        }
        long count = 1;
        for (int dim : shape) {
            count *= dim;
            if (count > maxElementsPerInput) {
                throw tooMany(name, maxElementsPerInput);
            }
        }
        if (data.length == 0) {
            throw BadRequestException.invalid(name + ".data is empty; a tensor has at least one element");
        }
        if (count != data.length) {
            throw BadRequestException.invalid(name + ": shape " + Arrays.toString(shape) + " holds " + count
                    + " elements but data has " + data.length);
        }
        return Tensor.of(shape, data);
    }

    private int[] readShape(JsonParser parser, String name) throws IOException {
        expect(parser.currentToken(), JsonToken.START_ARRAY, name, parser);
        int[] shape = new int[Tensor.MAX_RANK];
        int rank = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (rank == Tensor.MAX_RANK) {
                throw BadRequestException.invalid(name + " has more than " + Tensor.MAX_RANK + " dimensions");
            }
            if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                throw BadRequestException.invalid(name + "[" + rank + "] must be a whole number of at least 1, got "
                        + parser.getText());
            }
            long dim = parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER ? parser.getLongValue()
                    : parser.getBigIntegerValue().signum() * Long.MAX_VALUE;
            if (dim < 1 || dim > maxElementsPerInput) {
                throw dim < 1 ? BadRequestException.invalid(name + "[" + rank + "] must be at least 1, got " + dim)
                        : tooMany(name.substring(0, name.lastIndexOf('.')), maxElementsPerInput);
            }
            shape[rank++] = (int) dim;
        }
        if (rank == 0) {
            throw BadRequestException.invalid(name + " is empty; a tensor has 1 to " + Tensor.MAX_RANK + " dimensions");
        }
        return Arrays.copyOf(shape, rank);
    }

    private float[] readData(JsonParser parser, String name) throws IOException {
        expect(parser.currentToken(), JsonToken.START_ARRAY, name, parser);
        float[] data = new float[16];
        int count = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (count == maxElementsPerInput) {
                throw tooMany(name.substring(0, name.lastIndexOf('.')), maxElementsPerInput);
            }
            if (count == data.length) {
                data = Arrays.copyOf(data, (int) Math.min((long) data.length * 2, maxElementsPerInput));
            }
            data[count] = number(parser, name, count);
            count++;
        }
        return Arrays.copyOf(data, count);
    }

    static BadRequestException tooMany(String input, int maxElementsPerInput) {
        return new BadRequestException(ApiError.tooLarge(input + " has more than " + maxElementsPerInput
                + " elements, the limit of ringkernel.http.max-elements-per-input"));
    }

    /**
     * The current token, element {@code index} of the array {@code array}, as a float32. The element's name is
     * put together only for an error, as most elements have none.
     *
     * <p>The number is parsed from the parser's own characters straight to the nearest float32, as
     * {@link Float#parseFloat} gives it: no string, and no rounding to a double first, which can land a
     * different float where a number lies near the middle of two.
     */
    static float number(JsonParser parser, String array, int index) throws IOException {
        JsonToken token = parser.currentToken();
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            throw BadRequestException.invalid(array + "[" + index + "] must be a number, got " + describe(parser));
        }
        // A JSON number is a Java float literal as it is.
        float value = NumberInput.parseFloat(parser.getTextCharacters(), parser.getTextOffset(),
                parser.getTextLength(), true);
        if (Float.isInfinite(value)) {
            throw BadRequestException.invalid(array + "[" + index + "] is " + parser.getText()
                    + ", outside the float32 range (±" + Float.MAX_VALUE + ")");
        }
        return value;
    }

    private static Map<String, Double> readParams(JsonParser parser) throws IOException {
        expect(parser.currentToken(), JsonToken.START_OBJECT, "params", parser);
        Map<String, Double> params = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            JsonToken token = parser.currentToken();
            if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
                throw BadRequestException.invalid("params." + name + " must be a number, got " + describe(parser));
            }
            double value = parser.getDoubleValue();
            if (Double.isInfinite(value)) {
                throw BadRequestException.invalid("params." + name + " is " + parser.getText() + ", too large");
            }
            params.put(name, value);
        }
        return params;
    }

    static void expect(JsonToken actual, JsonToken expected, String name, JsonParser parser) throws IOException {
        if (actual != expected) {
            String wanted = switch (expected) {
                case START_OBJECT -> "an object";
                case START_ARRAY -> "an array";
                default -> expected.asString();
            };
            throw BadRequestException.invalid(name + " must be " + wanted + ", got " + describe(parser));
        }
    }

    static String describe(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == null) {
            return "the end of the body";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "the string \"" + abbreviate(parser.getText()) + "\"";
            case VALUE_NULL -> "null";
            case VALUE_TRUE, VALUE_FALSE -> parser.getText();
            default -> abbreviate(parser.getText());
        };
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
