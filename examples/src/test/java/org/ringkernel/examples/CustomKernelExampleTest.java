package org.ringkernel.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The custom kernel example computes what a float64 reference does, and the README shows its code. */
class CustomKernelExampleTest {
    private static final Path SOURCE = Path.of("src/main/java/org/ringkernel/examples/CustomKernelExample.java");
    private static final Path README = Path.of("../README.md");

    private final ActorTestKit testKit = ActorTestKit.create();

    @AfterEach
    void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void affineMatchesItsFloat64Reference() throws Exception {
        Random random = new Random(15);
        float[] x = new float[1000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextGaussian() * 100);
        }

        float[] y = CustomKernelExample.run(testKit.system(), x);

        assertEquals(x.length, y.length);
        for (int i = 0; i < x.length; i++) {
            double reference = 3.0 * x[i] - 1.0;
            // Two float32 roundings (the product, then the sum): a few units in the last place of the result.
            double tolerance = 4 * Math.ulp((float) Math.max(Math.abs(reference), Math.abs(3.0 * x[i])));
            assertEquals(reference, y[i], tolerance, "element " + i + " of x = " + x[i]);
        }
    }

    @Test
    void theReadmeShowsTheExamplesCode() throws Exception {
        List<String> lines = Files.readAllLines(SOURCE);
        int begin = lines.indexOf("        // README: begin");
        int end = lines.indexOf("        // README: end");
        assertTrue(begin >= 0 && end > begin, "the example marks the lines the README shows");
        String shown = lines.subList(begin + 1, end).stream()
                .map(line -> line.length() >= 8 ? line.substring(8) : line.strip())
                .collect(Collectors.joining("\n"));

        assertTrue(Files.readString(README).contains("```java\n" + shown + "\n```"),
                "README.md's section \"Custom kernels\" shows, as one java block, exactly:\n" + shown);
    }
}
