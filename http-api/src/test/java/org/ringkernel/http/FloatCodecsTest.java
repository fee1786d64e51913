package org.ringkernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.actors.KernelTiming;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * The float codecs of the process route, without a server: octet-stream and JSON bodies decode to exactly the
 * floats they carry, JSON numbers to what {@link Float#parseFloat} gives, and results encode to text and bytes
 * that read back bit for bit.
 */
class FloatCodecsTest {
    private static final int LIMIT = 1 << 20;
    private final Random random = new Random(16);

    /** Finite floats from every binade, subnormals and both zeros among them. */
    private float[] randomFinite(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            float value;
            do {
                value = Float.intBitsToFloat(random.nextInt());
            } while (!Float.isFinite(value));
            values[i] = value;
        }
        values[0] = -0.0f;
        values[1] = Float.MIN_VALUE;
        values[2] = -Float.MAX_VALUE;
        return values;
    }

    private static byte[] littleEndian(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            bytes.putFloat(value);
        }
        return bytes.array();
    }

    private static void assertBitsEqual(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, "element count");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    "element " + i + ": " + expected[i] + " came back as " + actual[i]);
        }
    }

    private static KernelResult result(float[]... outputs) {
        List<Tensor> tensors = new ArrayList<>();
        for (float[] output : outputs) {
            tensors.add(Tensor.of(output));
        }
        return new KernelResult("echo", KernelRequest.of(Tensor.of(1f)), tensors, Optional.empty(), "cpu",
                KernelTiming.NONE, "");
    }

    @Test
    void octetStreamBodiesDecodeBitExactlyWhetherInOnePieceOrMany() {
        float[] a = randomFinite(1000);
        float[] b = randomFinite(24);
        byte[] body = new byte[(a.length + b.length) * Float.BYTES];
        System.arraycopy(littleEndian(a), 0, body, 0, a.length * Float.BYTES);
        System.arraycopy(littleEndian(b), 0, body, a.length * Float.BYTES, b.length * Float.BYTES);
        // Pieces that split floats, as a body arriving in chunks does.
        ByteString pieces = ByteString.fromArray(body, 0, 7).concat(ByteString.fromArray(body, 7, 2001))
                .concat(ByteString.fromArray(body, 2008, body.length - 2008));
        OctetStreamRequestReader reader = new OctetStreamRequestReader(LIMIT);

        for (ByteString whole : List.of(ByteString.fromArrayUnsafe(body), pieces)) {
            KernelRequest request = reader.read(whole, List.of("10,100;24"), Map.of());

            assertBitsEqual(a, request.inputs().get(0).data());
            assertBitsEqual(b, request.inputs().get(1).data());
        }
    }

    @Test
    void octetStreamResultsEncodeBitExactly() {
        float[] a = randomFinite(777);
        float[] b = randomFinite(5);

        HttpResponse response = BinaryResponses.of(result(a, b));

        ByteString body = ((org.apache.pekko.http.scaladsl.model.HttpEntity.Strict) response.entity()).getData();
        ByteBuffer bytes = body.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] both = new float[a.length + b.length];
        bytes.asFloatBuffer().get(both);
        float[] expected = new float[both.length];
        System.arraycopy(a, 0, expected, 0, a.length);
        System.arraycopy(b, 0, expected, a.length, b.length);
        assertBitsEqual(expected, both);
        assertEquals("777;5", response.getHeader(OctetStreamRequestReader.SHAPE_HEADER).orElseThrow().value());
    }

    private static float[] readJson(String... numbers) {
        String body = "{\"inputs\":[{\"data\":[" + String.join(",", numbers) + "]}]}";
        return new JsonRequestReader(LIMIT).read(body.getBytes(StandardCharsets.UTF_8)).inputs().get(0).data();
    }

    @Test
    void jsonNumbersOfRandomFloatsDecodeBitExactly() {
        float[] values = randomFinite(5000);
        String[] texts = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            texts[i] = Float.toString(values[i]);
        }

        assertBitsEqual(values, readJson(texts));
    }

    @Test
    void exoticJsonNumbersParseAsFloatParseFloatDoes() {
        String[] texts = {"1e-45", "-0.0", "-0", "0", "3.4028235e38", "-3.4028235e38", "3.4028235677973365e38",
            "1.17549435E-38", "1.1754942E-38", "7.006492321624086e-46", "7.006492321624085e-46", "1E5", "-2.5e+3",
            "16777217", "123456789012345678901234567890", "0.1", "1.0000000596046448",
            // Just above the middle of 1 and the next float: rounding to a double first lands on the middle,
            // and then on 1; the nearest float is the next one.
            "1.000000059604644775390625000000001"};
        float[] expected = new float[texts.length];
        for (int i = 0; i < texts.length; i++) {
            expected[i] = Float.parseFloat(texts[i]);
        }

        assertBitsEqual(expected, readJson(texts));
    }

    @Test
    void jsonNumbersBeyondTheFloat32RangeAreRefusedNamingTheElement() {
        for (String text : new String[] {"3.4028236e38", "1e39", "-1e39",
            "340282356779733661637539395458142568448"}) {
            BadRequestException e = assertThrows(BadRequestException.class, () -> readJson("1", text));

            assertEquals("inputs[0].data[1] is " + text + ", outside the float32 range (±3.4028235E38)",
                    e.error().message());
        }
    }

    @Test
    void jsonResultsWriteEveryFloatSoItReadsBackBitExactly() throws Exception {
        float[] values = randomFinite(5000);

        byte[] json = new JsonResponses().result(result(values));

        List<Float> read = new ArrayList<>();
        try (JsonParser parser = JsonRequestReader.strictFactory().createParser(json)) {
            while (parser.nextToken() != null) {
                if ("data".equals(parser.currentName()) && parser.currentToken() == JsonToken.START_ARRAY) {
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        read.add(Float.parseFloat(parser.getText()));
                    }
                }
            }
        }
        float[] back = new float[read.size()];
        for (int i = 0; i < back.length; i++) {
            back[i] = read.get(i);
        }
        assertBitsEqual(values, back);
    }
}
