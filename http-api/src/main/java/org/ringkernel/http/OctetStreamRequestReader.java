package org.ringkernel.http;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * Reads a binary request: the body is the inputs' little-endian float32 elements one after the other, the
 * shapes come from the {@code X-Shape} header or the {@code shape} query parameter ({@code 2,3} for one
 * input, {@code 2,3;3,4} for two), and every other query parameter is a kernel param.
 */
final class OctetStreamRequestReader {
    static final String SHAPE_HEADER = "X-Shape";

    private final int maxElementsPerInput;

    OctetStreamRequestReader(int maxElementsPerInput) {
        this.maxElementsPerInput = maxElementsPerInput;
    }

    /**
     * @param shapes the shapes text, from the header or the query
     * @param query every query parameter; {@code shape} is skipped, the rest are params
     * @throws BadRequestException naming what is wrong
     */
    KernelRequest read(byte[] body, String shapes, Map<String, String> query) {
        if (shapes == null || shapes.isBlank()) {
            throw BadRequestException.invalid("a binary request needs the input shapes in the " + SHAPE_HEADER
                    + " header or the shape query parameter, e.g. shape=2,3 (or 2,3;3,4 for two inputs)");
        }
        List<int[]> parsed = parseShapes(shapes);
        long needed = 0;
        for (int[] shape : parsed) {
            needed += Tensor.checkShape(shape) * Float.BYTES;
        }
        if (needed != body.length) {
            throw BadRequestException.invalid("the body has " + body.length + " bytes but shapes " + shapes.strip()
                    + " need " + needed + " (little-endian float32)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        List<Tensor> inputs = new ArrayList<>(parsed.size());
        for (int[] shape : parsed) {
            float[] data = new float[(int) Tensor.checkShape(shape)];
            buffer.asFloatBuffer().get(data);
            buffer.position(buffer.position() + data.length * Float.BYTES);
            inputs.add(Tensor.of(shape, data));
        }
        return new KernelRequest(inputs, params(query));
    }

    private List<int[]> parseShapes(String text) {
        List<int[]> shapes = new ArrayList<>();
        for (String one : text.split(";")) {
            String[] dims = one.strip().split(",");
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

    private static int dimension(String text, String shape) {
        try {
            int dim = Integer.parseInt(text);
            if (dim >= 1) {
                return dim;
            }
        } catch (NumberFormatException e) {
            // Reported below with the shape it came from.
        }
        throw BadRequestException.invalid("shape '" + shape + "': dimension '" + text
                + "' must be a whole number of at least 1");
    }

    private static Map<String, Double> params(Map<String, String> query) {
        Map<String, Double> params = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : query.entrySet()) {
            if (entry.getKey().equals("shape")) {
                continue;
            }
            try {
                params.put(entry.getKey(), Double.parseDouble(entry.getValue()));
            } catch (NumberFormatException e) {
                throw BadRequestException.invalid("param " + entry.getKey() + " must be a number, got '"
                        + entry.getValue() + "'");
            }
        }
        return params;
    }
}
