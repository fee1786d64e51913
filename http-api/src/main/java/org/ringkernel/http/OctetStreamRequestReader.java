package org.ringkernel.http;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.util.ByteString;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * Reads a binary request: the body is the inputs' little-endian float32 elements one after the other, the
 * shapes come from the {@code X-Shape} header or the {@code shape} query parameter, never both ({@code 2,3} for
 * one input, {@code 2,3;3,4} for two; dimensions in ASCII digits), and every other query parameter is a kernel
 * param written as a plain decimal number ({@link QueryParams}).
 */
final class OctetStreamRequestReader {
    static final String SHAPE_HEADER = "X-Shape";

    private final int maxElementsPerInput;

    OctetStreamRequestReader(int maxElementsPerInput) {
        this.maxElementsPerInput = maxElementsPerInput;
    }

    /**
     * @param shapeHeaders the values of every {@code X-Shape} header
     * @param query every query parameter with all its values; {@code shape} holds the shapes, the rest are params
     * @throws BadRequestException naming what is wrong
     */
    KernelRequest read(ByteString body, List<String> shapeHeaders, Map<String, List<String>> query) {
        String shapes = shapes(shapeHeaders, query);
        List<int[]> parsed = parseShapes(shapes);
        Map<String, Double> params = QueryParams.parse(query, Set.of("shape"));
        long needed = 0;
        for (int[] shape : parsed) {
            needed += Tensor.checkShape(shape) * Float.BYTES;
        }
        if (needed != body.size()) {
            throw BadRequestException.invalid("the body has " + body.size() + " bytes but shapes " + shapes.strip()
                    + " need " + needed + " (little-endian float32)");
        }
        // The tensors lie over the body's own bytes (immutable, as a ByteString is, for as long as the request
        // holds them): the floats are decoded once, as the kernel's actor copies them into the arena.
        FloatBuffer floats = body.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        List<Tensor> inputs = new ArrayList<>(parsed.size());
        int first = 0;
        for (int[] shape : parsed) {
            int count = (int) Tensor.checkShape(shape);
            inputs.add(Tensor.over(shape, floats.slice(first, count)));
            first += count;
        }
        return new KernelRequest(inputs, params);
    }

    /** The shapes text from exactly one place: one {@code X-Shape} header or one {@code shape} parameter. */
    private static String shapes(List<String> shapeHeaders, Map<String, List<String>> query) {
        QueryParams.requireOnce(query);
        if (shapeHeaders.size() > 1) {
            throw BadRequestException.invalid("the " + SHAPE_HEADER + " header is given " + shapeHeaders.size()
                    + " times; give it once");
        }
        List<String> fromQuery = query.getOrDefault("shape", List.of());
        if (!shapeHeaders.isEmpty() && !fromQuery.isEmpty()) {
            throw BadRequestException.invalid("the shapes are given twice, in the " + SHAPE_HEADER + " header ("
                    + shapeHeaders.get(0) + ") and in the shape query parameter (" + fromQuery.get(0)
                    + "); give them in one place");
        }
        String shapes = shapeHeaders.isEmpty() ? fromQuery.isEmpty() ? null : fromQuery.get(0) : shapeHeaders.get(0);
        if (shapes == null || shapes.isBlank()) {
            throw BadRequestException.invalid("a binary request needs the input shapes in the " + SHAPE_HEADER
                    + " header or the shape query parameter, e.g. shape=2,3 (or 2,3;3,4 for two inputs)");
        }
        return shapes;
    }

    private List<int[]> parseShapes(String text) {
        List<int[]> shapes = new ArrayList<>();
        for (String one : text.split(";", -1)) {
            if (one.isBlank()) {
                throw BadRequestException.invalid("shapes '" + text.strip() + "': shape " + (shapes.size() + 1)
                        + " is empty; give one shape per input, separated by ';', e.g. 2,3;3,4");
            }
            String[] dims = one.strip().split(",", -1);
            if (dims.length > Tensor.MAX_RANK) {
                throw BadRequestException.invalid("shape '" + one.strip() + "' has more than " + Tensor.MAX_RANK
                        + " dimensions");
            }
            int[] shape = new int[dims.length];
            for (int d = 0; d < dims.length; d++) {
                shape[d] = dimension(dims[d].strip(), one.strip());
            }
            if (elements(shape) > maxElementsPerInput) {
                throw new BadRequestException(ApiError.tooLarge("input " + shapes.size() + " of shape "
                        + Arrays.toString(shape) + " has more than " + maxElementsPerInput
                        + " elements, the limit of ringkernel.http.max-elements-per-input"));
            }
            shapes.add(shape);
        }
        return shapes;
    }

    /** The element count, stopping once it passes every limit so it cannot overflow. */
    private long elements(int[] shape) {
        long count = 1;
        for (int dim : shape) {
            count *= dim;
            if (count > maxElementsPerInput) {
                return count;
            }
        }
        return count;
    }

    /** Whether {@code text} is one or more of the ASCII digits 0-9 (and nothing else). */
    private static boolean digits(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return !text.isEmpty();
    }

    private static int dimension(String text, String shape) {
        long value = digits(text) && text.length() <= 10 ? Long.parseLong(text) : 0;
        if (value >= 1 && value <= Integer.MAX_VALUE) {
            return (int) value;
        }
        throw BadRequestException.invalid("shape '" + shape + "': dimension '" + text
                + "' must be a whole number of at least 1, in the digits 0-9 only");
    }
}
