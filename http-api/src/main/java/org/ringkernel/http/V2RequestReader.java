package org.ringkernel.http;

import static org.ringkernel.http.JsonRequestReader.describe;
import static org.ringkernel.http.JsonRequestReader.expect;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ringkernel.inference.InferenceRequest;
import org.ringkernel.inference.NamedTensor;

/**
 * Reads the inference protocol's JSON request, {@code {"id"?, "parameters"?, "inputs":[{"name", "shape",
 * "datatype", "data", "parameters"?}], "outputs"?:[{"name", "parameters"?}]}}, into an {@link InferenceRequest}
 * with a streaming parser, as strictly as {@link JsonRequestReader}: a field given twice or unknown is an error,
 * every error names the field, and an input over {@code ringkernel.http.max-elements-per-input} is refused while
 * it is read. {@code data} is flat or nested as the shape (row-major) and holds numbers. Whether the inputs fit
 * the model is the {@link InferenceRequest}'s to say.
 */
final class V2RequestReader {
    private static final String EXAMPLE = "{\"inputs\":[{\"name\":\"x\",\"shape\":[3],\"datatype\":\"FP32\","
            + "\"data\":[1,2,3]}]}";
    /** The one output parameter taken: tritonclient sends it on every requested output; the answer is JSON either way. */
    private static final String BINARY_DATA = "binary_data";
    /** Bounds what a body can make the reader hold; kernels take far fewer dimensions, as the model then says. */
    private static final int MAX_DIMENSIONS = 64;

    private final JsonFactory factory = JsonRequestReader.strictFactory();
    private final int maxElementsPerInput;

    V2RequestReader(int maxElementsPerInput) {
        this.maxElementsPerInput = maxElementsPerInput;
    }

    /**
     * @throws BadRequestException naming what is wrong (400), or a too-large input (413)
     */
    InferenceRequest read(byte[] body) {
        return MalformedJson.readObject(factory, body, MalformedJson.Positions.LINES, EXAMPLE, this::readRequest);
    }

    private InferenceRequest readRequest(JsonParser parser) throws IOException {
        expect(parser.nextToken(), JsonToken.START_OBJECT, "the request", parser);
        String id = "";
        Map<String, Object> parameters = Map.of();
        List<NamedTensor> inputs = null;
        List<String> outputs = List.of();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "id" -> id = string(parser, "id");
                case "parameters" -> parameters = readParameters(parser, "parameters");
                case "inputs" -> inputs = readInputs(parser);
                case "outputs" -> outputs = readOutputs(parser);
                default -> throw BadRequestException.invalid("unknown field '" + field
                        + "'; a request has id, parameters, inputs and outputs");
            }
        }
        if (inputs == null) {
            throw BadRequestException.invalid("missing field 'inputs'; expected JSON like " + EXAMPLE);
        }
        return new InferenceRequest(id, inputs, parameters, outputs);
    }

    private List<NamedTensor> readInputs(JsonParser parser) throws IOException {
        expect(parser.currentToken(), JsonToken.START_ARRAY, "inputs", parser);
        List<NamedTensor> inputs = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            inputs.add(readInput(parser, "inputs[" + inputs.size() + "]"));
        }
        return inputs;
    }

    private NamedTensor readInput(JsonParser parser, String name) throws IOException {
        expect(parser.currentToken(), JsonToken.START_OBJECT, name, parser);
        String tensorName = null;
        String datatype = null;
        long[] shape = null;
        Data data = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "name" -> tensorName = string(parser, name + ".name");
                case "datatype" -> datatype = string(parser, name + ".datatype");
                case "shape" -> shape = readShape(parser, name + ".shape");
                case "data" -> data = new Data(name).read(parser);
                case "parameters" -> {
                    Map<String, Object> parameters = readParameters(parser, name + ".parameters");
                    if (!parameters.isEmpty()) {
                        throw BadRequestException.invalid(name + " has parameter '" + parameters.keySet().iterator()
                                .next() + "'; inputs take no parameters here (binary tensor data is not supported: "
                                + "send data as JSON)");
                    }
                }
                default -> throw BadRequestException.invalid("unknown field '" + field + "' in " + name
                        + "; an input has name, shape, datatype, data and parameters");
            }
        }
        if (tensorName == null || shape == null || datatype == null || data == null) {
            String missing = tensorName == null ? "name" : shape == null ? "shape" : datatype == null ? "datatype" : "data";
            throw BadRequestException.invalid(name + " has no " + missing + "; expected an input like "
                    + "{\"name\":\"x\",\"shape\":[3],\"datatype\":\"FP32\",\"data\":[1,2,3]}");
        }
        data.checkNesting(shape);
        return new NamedTensor(tensorName, datatype, shape, data.values());
    }

    private static long[] readShape(JsonParser parser, String name) throws IOException {
        expect(parser.currentToken(), JsonToken.START_ARRAY, name, parser);
        long[] shape = new long[4];
        int rank = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                throw BadRequestException.invalid(name + "[" + rank + "] must be a whole number, got "
                        + describe(parser));
            }
            if (rank == shape.length) {
                if (rank == MAX_DIMENSIONS) {
                    throw BadRequestException.invalid(name + " has more than " + MAX_DIMENSIONS + " dimensions");
                }
                shape = Arrays.copyOf(shape, rank * 2);
            }
            shape[rank++] = parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER ? parser.getLongValue()
                    : parser.getBigIntegerValue().signum() * Long.MAX_VALUE;
        }
        return Arrays.copyOf(shape, rank);
    }

    private static List<String> readOutputs(JsonParser parser) throws IOException {
        expect(parser.currentToken(), JsonToken.START_ARRAY, "outputs", parser);
        List<String> outputs = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            String name = "outputs[" + outputs.size() + "]";
            expect(parser.currentToken(), JsonToken.START_OBJECT, name, parser);
            String outputName = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "name" -> outputName = string(parser, name + ".name");
                    case "parameters" -> checkOutputParameters(readParameters(parser, name + ".parameters"), name);
                    default -> throw BadRequestException.invalid("unknown field '" + field + "' in " + name
                            + "; a requested output has name and parameters");
                }
            }
            if (outputName == null) {
                throw BadRequestException.invalid(name + " has no name; expected an output like {\"name\":\"y\"}");
            }
            if (outputs.contains(outputName)) {
                throw BadRequestException.invalid("output '" + outputName + "' is requested twice");
            }
            outputs.add(outputName);
        }
        return outputs;
    }

    private static void checkOutputParameters(Map<String, Object> parameters, String name) {
        for (Map.Entry<String, Object> parameter : parameters.entrySet()) {
            if (!parameter.getKey().equals(BINARY_DATA)) {
                throw BadRequestException.invalid(name + " has parameter '" + parameter.getKey() + "'; an output "
                        + "takes only " + BINARY_DATA + " (its data is answered as JSON either way)");
            }
            if (!(parameter.getValue() instanceof Boolean)) {
                throw BadRequestException.invalid(name + ".parameters." + BINARY_DATA + " must be true or false, got "
                        + parameter.getValue());
            }
        }
    }

    /** Parameters by name, each a Boolean, a Number (Long, or Double for a fraction or a larger integer) or a String. */
    private static Map<String, Object> readParameters(JsonParser parser, String name) throws IOException {
        expect(parser.currentToken(), JsonToken.START_OBJECT, name, parser);
        Map<String, Object> parameters = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            JsonToken token = parser.nextToken();
            Object value = switch (token) {
                case VALUE_TRUE, VALUE_FALSE -> parser.getBooleanValue();
                case VALUE_STRING -> parser.getText();
                case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? finite(parser, name + "." + key) : (Object) parser.getLongValue();
                case VALUE_NUMBER_FLOAT -> finite(parser, name + "." + key);
                default -> throw BadRequestException.invalid(name + "." + key
                        + " must be a boolean, a number or a string, got " + describe(parser));
            };
            parameters.put(key, value);
        }
        return parameters;
    }

    private static Double finite(JsonParser parser, String name) throws IOException {
        double value = parser.getDoubleValue();
        if (Double.isInfinite(value)) {
            throw BadRequestException.invalid(name + " is " + parser.getText() + ", too large");
        }
        return value;
    }

    private static String string(JsonParser parser, String name) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw BadRequestException.invalid(name + " must be a string, got " + describe(parser));
        }
        return parser.getText();
    }

    /**
     * One input's {@code data}: its numbers in the order they come (row-major), and how they were nested. Every
     * array at one depth must have as many elements as every other there, and numbers sit at the deepest level
     * only, so that a nested array has a shape to compare with the input's.
     */
    private final class Data {
        private final String input;
        private float[] values = new float[16];
        private int count;
        /** Elements of the arrays at each depth, the outermost first; -1 until an array there ends. */
        private int[] lengths = new int[0];
        /** The depth of the arrays holding numbers; -1 until the first number. */
        private int leafDepth = -1;

        Data(String input) {
            this.input = input;
        }

        Data read(JsonParser parser) throws IOException {
            expect(parser.currentToken(), JsonToken.START_ARRAY, input + ".data", parser);
            array(parser, input + ".data", 0);
            return this;
        }

        private void array(JsonParser parser, String name, int depth) throws IOException {
            if (depth == lengths.length) {
                if (depth == MAX_DIMENSIONS) {
                    throw BadRequestException.invalid(name + " is nested more than " + MAX_DIMENSIONS + " deep");
                }
                lengths = Arrays.copyOf(lengths, depth + 1);
                lengths[depth] = -1;
            }
            int elements = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (parser.currentToken() == JsonToken.START_ARRAY) {
                    if (leafDepth == depth) {
                        throw mixed(name, elements);
                    }
                    array(parser, name + "[" + elements + "]", depth + 1);
                } else {
                    if (leafDepth != depth && (leafDepth != -1 || lengths.length > depth + 1)) {
                        throw mixed(name, elements);
                    }
                    leafDepth = depth;
                    add(JsonRequestReader.number(parser, name, elements));
                }
                elements++;
            }
            if (lengths[depth] == -1) {
                lengths[depth] = elements;
            } else if (lengths[depth] != elements) {
                throw BadRequestException.invalid(name + " has " + elements + " elements where the other arrays "
                        + "at its depth have " + lengths[depth] + "; nested data has the input's shape");
            }
        }

        private BadRequestException mixed(String name, int index) {
            return BadRequestException.invalid(name + "[" + index + "] mixes numbers and arrays at one depth; "
                    + "data is a flat array of numbers or arrays nested as the input's shape");
        }

        private void add(float value) {
            if (count == maxElementsPerInput) {
                throw JsonRequestReader.tooMany(input, maxElementsPerInput);
            }
            if (count == values.length) {
                values = Arrays.copyOf(values, (int) Math.min((long) values.length * 2, maxElementsPerInput));
            }
            values[count++] = value;
        }

        /** Nested data must be nested as {@code shape}; flat data is checked against it by element count. */
        void checkNesting(long[] shape) {
            if (lengths.length <= 1) {
                return;
            }
            long[] nesting = Arrays.stream(lengths).mapToLong(length -> length).toArray();
            if (!Arrays.equals(nesting, shape)) {
                throw BadRequestException.invalid(input + ".data is nested as " + Arrays.toString(nesting)
                        + " but its shape is " + Arrays.toString(shape) + "; nested data has the input's shape");
            }
        }

        float[] values() {
            return Arrays.copyOf(values, count);
        }
    }
}
