package org.ringkernel.data.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.bridge.kernel.KernelDefinition;

/** The README's tensor example runs as shown, gives probabilities, and the README shows exactly this code. */
class TensorReadmeExampleTest {
    private static final Path SOURCE = Path.of("src/test/java/org/ringkernel/data/tensor/TensorReadmeExampleTest.java");
    private static final Path README = Path.of("../README.md");
    private static final String GELU_CUDA = TensorPipelineTest.GELU_CUDA;

    private final ActorTestKit testKit = TensorTestKit.create();

    @AfterEach
    void stop() {
        testKit.shutdownTestKit();
    }

    /** The example: a three-stage pipeline, then the same with a custom kernel before the softmax. */
    static NdArray[] example(ActorSystem<?> system) {
        // README: begin
        RingKernels kernels = RingKernels.get(system);
        NdArray input = NdArray.random(1, 4, 8);          // [4, 8], uniform in [-1, 1), seed 1
        NdArray weights = NdArray.random(2, 8, 3);        // [8, 3]

        // Shapes are checked stage by stage before anything is sent; each stage runs on its kernel.
        TensorPipeline pipeline = TensorPipeline.on(kernels)
                .then(Ops.matmul(weights))                // [4, 8] . [8, 3] -> [4, 3]
                .then(Ops.layerNorm(1e-5))
                .then(Ops.softmax());
        NdArray probabilities = pipeline.runAndWait(input, Duration.ofSeconds(10));   // or run(input): async
        float p = probabilities.get(0, 2);                // row 0, column 2

        // A custom kernel: CPU code that every backend can run, CUDA C source for the CUDA backend.
        KernelDefinition gelu = KernelDefinition.elementwise("gelu")
                .describedAs("y = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))")
                .cpu(call -> {
                    FloatBuffer x = call.input(0);
                    FloatBuffer y = call.output(0);
                    for (int i = 0; i < y.limit(); i++) {
                        double v = x.get(i);
                        y.put(i, (float) (0.5 * v * (1 + Math.tanh(0.7978845608 * (v + 0.044715 * v * v * v)))));
                    }
                })
                .cuda(GELU_CUDA, "rk_tensor_gelu_ring")
                .build();
        // The stage registers the kernel the first time it runs; Ops.kernel("gelu") finds it by id after that.
        NdArray activated = TensorPipeline.on(kernels)
                .then(Ops.matmul(weights))
                .then(Ops.kernel(gelu))
                .then(Ops.softmax())
                .runAndWait(input, Duration.ofSeconds(10));
        // README: end
        assertEquals(probabilities.get(0, 2), p);
        return new NdArray[] {probabilities, activated};
    }

    @Test
    void theExampleGivesRowsOfProbabilities() {
        NdArray[] results = example(testKit.system());

        for (NdArray result : results) {
            assertArrayEquals(new int[] {4, 3}, result.shape());
            for (int row = 0; row < 4; row++) {
                double sum = 0;
                for (int column = 0; column < 3; column++) {
                    float value = result.get(row, column);
                    assertTrue(value > 0 && value < 1, "a probability: " + value);
                    sum += value;
                }
                assertEquals(1.0, sum, 1e-5, "row " + row);
            }
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
                "README.md's section \"Data: tensors\" shows, as one java block, exactly:\n" + shown);
    }
}
