package org.ringkernel.bridge.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.clock.HybridLogicalClock;
import org.ringkernel.bridge.kernel.InvalidKernelInputException;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.runtime.Completion;
import org.ringkernel.bridge.runtime.CompletionStatus;
import org.ringkernel.bridge.runtime.KernelInstance;
import org.ringkernel.bridge.runtime.KernelState;
import org.ringkernel.bridge.runtime.RequestPump;
import org.ringkernel.bridge.testkit.TestKernels;

/**
 * A request bound for staging has its input values checked while they are copied into the arena: a value the
 * kernel does not accept is named by input and element as {@code bind} names it, and nothing of the request stays
 * in the ring or the arena.
 */
class FusedInputCheckTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int N = 10_000;

    private final CpuBackend backend = new CpuBackend(HybridLogicalClock.system(), WAIT);
    private final KernelDefinition scale = TestKernels.scale();

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    private KernelInstance launched(int arenaBytes) {
        KernelInstance instance = backend.launch(scale, TestKernels.settings(16, arenaBytes));
        instance.activate();
        assertEquals(KernelState.ACTIVE, instance.awaitState(s -> s == KernelState.ACTIVE, WAIT));
        return instance;
    }

    private static float[] ones(int n) {
        float[] x = new float[n];
        Arrays.fill(x, 1.25f);
        return x;
    }

    @Test
    void aNonFiniteValueInAnyStretchIsNamedByInputAndElementAsBindNamesIt() throws Exception {
        KernelInstance instance = launched(1 << 20);
        for (int element : new int[] {0, 7, 2047, 2048, 6001, N - 1}) {
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                float[] x = ones(N);
                x[element] = bad;
                for (Tensor input : List.of(Tensor.of(x), Tensor.over(new int[] {N}, direct(x)))) {
                    KernelRequest request = KernelRequest.of(input);
                    InvalidKernelInputException atBind = assertThrows(InvalidKernelInputException.class,
                            () -> scale.bind(request));

                    InvalidKernelInputException atStage = assertThrows(InvalidKernelInputException.class,
                            () -> RequestPump.call(instance, scale.bindForStaging(request), WAIT));

                    assertEquals("kernel 'scale', input 'x': element " + element + " is " + bad
                            + "; this kernel accepts finite values only", atStage.getMessage());
                    assertEquals(atBind.getMessage(), atStage.getMessage());
                }
            }
        }
    }

    @Test
    void aRejectedRequestLeavesNoArenaTakenAndTheNextOneComputesRight() throws Exception {
        // The arena holds one request of N floats in and out, and no more: a rejection that kept its extent
        // would leave no room for the next.
        KernelInstance instance = launched(2 * 40_960);
        float[] bad = ones(N);
        bad[N / 2] = Float.NaN;

        for (int r = 0; r < 5; r++) {
            assertThrows(InvalidKernelInputException.class,
                    () -> RequestPump.call(instance, scale.bindForStaging(KernelRequest.of(Tensor.of(bad))), WAIT));
        }
        Completion good = RequestPump.call(instance, scale.bindForStaging(KernelRequest.of(Tensor.of(ones(N)))), WAIT);

        assertEquals(CompletionStatus.OK, good.status());
        assertEquals(2.5f, good.outputs().get(0).get(N - 1));
        assertEquals(0, instance.channel().inFlight());
    }

    @Test
    void aTensorOverABufferIsCheckedAndCopiedStretchByStretch() throws Exception {
        KernelInstance instance = launched(1 << 20);
        float[] x = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = i - N / 2f;
        }

        Completion done = RequestPump.call(instance,
                scale.bindForStaging(KernelRequest.of(Tensor.over(new int[] {N}, direct(x)))), WAIT);

        assertEquals(CompletionStatus.OK, done.status());
        for (int i = 0; i < N; i++) {
            assertEquals(2 * x[i], done.outputs().get(0).get(i), "element " + i);
        }
    }

    /** {@code values} in a direct buffer of the platform's order, as Arrow's and a caller's memory would be. */
    private static FloatBuffer direct(float[] values) {
        FloatBuffer buffer = ByteBuffer.allocateDirect(values.length * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        buffer.put(values).flip();
        return buffer;
    }
}
