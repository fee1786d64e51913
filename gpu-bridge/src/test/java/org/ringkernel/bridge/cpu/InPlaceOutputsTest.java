package org.ringkernel.bridge.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.clock.HybridLogicalClock;
import org.ringkernel.bridge.kernel.BoundRequest;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.runtime.ArenaOutputs;
import org.ringkernel.bridge.runtime.Completion;
import org.ringkernel.bridge.runtime.CompletionStatus;
import org.ringkernel.bridge.runtime.HostChannel;
import org.ringkernel.bridge.runtime.KernelInstance;
import org.ringkernel.bridge.runtime.KernelState;
import org.ringkernel.bridge.runtime.RequestPump;
import org.ringkernel.bridge.testkit.TestKernels;

/**
 * Outputs read in place ({@link RequestPump#callInPlace}): the values a float64 reference gives, valid until
 * closed, loud after it, and their arena kept from later requests while open.
 */
class InPlaceOutputsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Room for four requests of {@link #N} floats (input and output each). */
    private static final int N = 4096;
    private static final int ARENA = 4 * 2 * N * Float.BYTES;

    private final CpuBackend backend = new CpuBackend(HybridLogicalClock.system(), WAIT);
    private final KernelDefinition scale = TestKernels.scale();
    private final Random random = new Random(16);
    private KernelInstance instance;

    @BeforeEach
    void launch() {
        instance = backend.launch(scale, TestKernels.settings(16, ARENA));
        instance.activate();
        assertEquals(KernelState.ACTIVE, instance.awaitState(s -> s == KernelState.ACTIVE, WAIT));
    }

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    private float[] randomFloats(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (random.nextFloat() - 0.5f) * 200f;
        }
        return x;
    }

    private BoundRequest scaled(float[] x, double factor) {
        return scale.bindForStaging(KernelRequest.of(Tensor.of(new int[] {2, x.length / 2}, x))
                .withParam("factor", factor));
    }

    private static void assertMatchesReference(float[] x, double factor, ArenaOutputs outputs) {
        for (int i = 0; i < x.length; i++) {
            double expected = (float) factor * (double) x[i];
            double actual = outputs.get(0, i);
            assertTrue(Math.abs(actual - expected) <= 1e-6 * Math.abs(expected),
                    "element " + i + " is " + actual + ", the float64 reference " + expected);
        }
    }

    @Test
    void outputsReadInPlaceEqualTheFloat64ReferenceAndCopyOutWhole() throws Exception {
        float[] x = randomFloats(N);

        Completion completion = RequestPump.callInPlace(instance, scaled(x, 1.5), WAIT);

        assertEquals(CompletionStatus.OK, completion.status());
        assertTrue(completion.outputs().isEmpty(), "nothing copied: the outputs are in place");
        try (ArenaOutputs outputs = completion.inPlace().orElseThrow()) {
            assertEquals(1, outputs.count());
            assertArrayEquals(new int[] {2, N / 2}, outputs.shape(0));
            assertMatchesReference(x, 1.5, outputs);
            float[] copied = new float[N + 3];
            outputs.copyTo(0, copied, 3);
            FloatBuffer buffer = FloatBuffer.allocate(N);
            outputs.copyTo(0, buffer);
            for (int i = 0; i < N; i++) {
                assertEquals(outputs.get(0, i), copied[i + 3]);
                assertEquals(outputs.get(0, i), buffer.get(i));
            }
        }
    }

    @Test
    void everyReadAfterCloseFailsNamingTheRequest() throws Exception {
        ArenaOutputs outputs = RequestPump.callInPlace(instance, scaled(randomFloats(N), 2), WAIT).inPlace()
                .orElseThrow();

        outputs.close();
        outputs.close();

        assertTrue(outputs.isClosed());
        IllegalStateException get = assertThrows(IllegalStateException.class, () -> outputs.get(0, 0));
        assertThrows(IllegalStateException.class, () -> outputs.copyTo(0, new float[N], 0));
        assertThrows(IllegalStateException.class, () -> outputs.copyTo(0, FloatBuffer.allocate(N)));
        assertThrows(IllegalStateException.class, () -> outputs.shape(0));
        assertEquals("the outputs of request 0 were closed; their arena may hold another request's data by now: "
                + "read them before close()", get.getMessage());
    }

    @Test
    void readsOutsideTheOutputsFailInsteadOfReadingTheArenaAround() throws Exception {
        try (ArenaOutputs outputs = RequestPump.callInPlace(instance, scaled(randomFloats(N), 2), WAIT).inPlace()
                .orElseThrow()) {
            assertThrows(IndexOutOfBoundsException.class, () -> outputs.get(0, N));
            assertThrows(IndexOutOfBoundsException.class, () -> outputs.get(0, -1));
            assertThrows(IndexOutOfBoundsException.class, () -> outputs.get(1, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> outputs.copyTo(0, new float[N], 1));
        }
    }

    @Test
    void openOutputsKeepTheirArenaFromLaterRequestsUntilClosed() throws Exception {
        float[] x = randomFloats(N);
        ArenaOutputs held = RequestPump.callInPlace(instance, scaled(x, 3), WAIT).inPlace().orElseThrow();

        // Three more requests fill the rest of the arena; each completes with its own values, and the held
        // outputs keep theirs.
        for (int r = 0; r < 3; r++) {
            float[] other = randomFloats(N);
            Completion completion = RequestPump.call(instance, scaled(other, -1), WAIT);
            assertEquals(CompletionStatus.OK, completion.status());
            assertEquals(-other[7], completion.outputs().get(0).get(7));
        }
        assertMatchesReference(x, 3, held);
        // The arena is full up to the held extent: the next request waits for room.
        HostChannel channel = instance.channel();
        BoundRequest next = scaled(randomFloats(N), 1);
        assertFalse(channel.stage(100, next), "no room while the first outputs are open");

        held.close();

        assertEquals(CompletionStatus.OK, RequestPump.call(instance, next, WAIT).status(), "room once they are closed");
    }
}
