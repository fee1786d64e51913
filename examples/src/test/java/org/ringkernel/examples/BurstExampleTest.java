package org.ringkernel.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * Ten thousand requests sent at once, both ways the README shows: every one is answered with its square (float64
 * reference), none {@code OVERLOADED}.
 */
class BurstExampleTest {
    private static final int COUNT = 10_000;
    private static ActorTestKit testKit;
    private static KernelRef square;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create();
        square = RingKernels.get(testKit.system()).kernel("square");
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private static List<KernelRequest> requests(long seed) {
        Random random = new Random(seed);
        return IntStream.range(0, COUNT)
                .mapToObj(i -> KernelRequest.of(Tensor.of((float) random.nextGaussian(), (float) random.nextGaussian())))
                .toList();
    }

    private static void assertSquares(List<KernelRequest> requests, List<KernelResult> results) {
        assertEquals(requests.size(), results.size());
        for (int i = 0; i < requests.size(); i++) {
            KernelResult result = results.get(i);
            assertTrue(result.error().isEmpty(), () -> "an error: " + result.error());
            float[] in = requests.get(i).inputs().get(0).data();
            float[] expected = new float[in.length];
            for (int j = 0; j < in.length; j++) {
                expected[j] = (float) ((double) in[j] * in[j]);
            }
            assertArrayEquals(expected, result.output().data(), "request " + i);
        }
    }

    @Test
    void aWindowAsLargeAsTheRingIsNeverOverloaded() throws Exception {
        List<KernelRequest> requests = requests(1);
        assertSquares(requests, BurstExample.windowed(square, requests));
    }

    @Test
    void aStreamIsNeverOverloaded() {
        List<KernelRequest> requests = requests(2);
        assertSquares(requests, BurstExample.streamed(square, requests, testKit.system()));
    }
}
