package org.ringkernel.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.cuda.LaunchArgs;

/**
 * The launch parameters as the launch entries read them: every field at the offset {@code call.cuh} and
 * {@code launch.cuh} assert, checked against those headers' static assertions.
 */
class LaunchArgsTest {
    private static final Path CUDA = Path.of("src/main/cuda/include/ringkernel");

    @Test
    void everyFieldLandsWhereTheKernelsReadIt() {
        byte[] bytes = new LaunchArgs()
                .input(0x1000, 6, 2, 3)
                .input(0x2000, 3, 3)
                .output(0x3000, 2)
                .param(1.5f)
                .param(-2f)
                .withScratch(0x4000);
        ByteBuffer args = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);

        assertEquals(LaunchArgs.LENGTH, bytes.length);
        assertEquals(0x1000, args.getLong(0));
        assertEquals(6, args.getInt(8));
        assertEquals(2, args.getInt(12));
        assertEquals(2, args.getInt(16));
        assertEquals(3, args.getInt(20));
        assertEquals(0, args.getInt(24), "unused dims stay 0");
        assertEquals(0x2000, args.getLong(32));
        assertEquals(3, args.getInt(40));
        assertEquals(1, args.getInt(44));
        assertEquals(0x3000, args.getLong(128));
        assertEquals(2, args.getInt(136));
        assertEquals(1.5f, args.getFloat(160));
        assertEquals(-2f, args.getFloat(164));
        assertEquals(2, args.getInt(192), "input count");
        assertEquals(1, args.getInt(196), "output count");
        assertEquals(2, args.getInt(200), "param count");
        assertEquals(0x4000, args.getLong(208));
    }

    @Test
    void theOffsetsAreTheOnesTheHeadersAssert() throws IOException {
        String call = Files.readString(CUDA.resolve("call.cuh"));
        String launch = Files.readString(CUDA.resolve("launch.cuh"));

        assertEquals(128, assertedOffset(call, "offsetof\\(Call, outputs\\) == (\\d+)"));
        assertEquals(160, assertedOffset(call, "offsetof\\(Call, params\\) == (\\d+)"));
        assertEquals(192, assertedOffset(call, "offsetof\\(Call, input_count\\) == (\\d+)"));
        assertEquals(208, assertedOffset(launch, "offsetof\\(LaunchArgs, scratch\\) == (\\d+)"));
        assertEquals(LaunchArgs.LENGTH, assertedOffset(launch, "sizeof\\(LaunchArgs\\) == (\\d+)"));
    }

    @Test
    void moreTensorsOrParamsThanTheKernelsTakeAreRefused() {
        LaunchArgs args = new LaunchArgs();
        for (int i = 0; i < 4; i++) {
            args.input(0, 1, 1);
        }
        IllegalArgumentException inputs = assertThrows(IllegalArgumentException.class, () -> args.input(0, 1, 1));
        assertTrue(inputs.getMessage().contains("at most 4 inputs"), inputs.getMessage());
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> new LaunchArgs().input(0, 1, 1, 1, 1, 1, 1));
        assertTrue(rank.getMessage().contains("rank 5"), rank.getMessage());
        LaunchArgs outputs = new LaunchArgs().output(0, 1).output(0, 1);
        assertThrows(IllegalArgumentException.class, () -> outputs.output(0, 1));
    }

    private static int assertedOffset(String header, String pattern) {
        Matcher matcher = Pattern.compile(pattern).matcher(header);
        assertTrue(matcher.find(), "the header asserts " + pattern);
        return Integer.parseInt(matcher.group(1));
    }
}
