package org.ringkernel.bridge.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ringkernel.bridge.clock.HybridLogicalClock;
import org.ringkernel.bridge.kernel.InputValues;
import org.ringkernel.bridge.kernel.InvalidKernelInputException;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.KernelSignature;
import org.ringkernel.bridge.kernel.ParamSpec;
import org.ringkernel.bridge.kernel.ShapeRule;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.kernel.TensorSpec;
import org.ringkernel.bridge.runtime.ArenaOutputs;
import org.ringkernel.bridge.runtime.Completion;
import org.ringkernel.bridge.runtime.CompletionStatus;
import org.ringkernel.bridge.runtime.HostResidentTensors;
import org.ringkernel.bridge.runtime.KernelInstance;
import org.ringkernel.bridge.runtime.KernelState;
import org.ringkernel.bridge.runtime.RequestPump;
import org.ringkernel.bridge.testkit.TestKernels;

/**
 * Large array tensors on the CPU backend stay in host memory: the loop reads the caller's input and writes the
 * result array the caller gets. The values, the check of the inputs, the check for outputs the kernel never wrote
 * (with poisoned outputs), the outputs read in place, and the reuse of every ring slot behave as through the arena.
 */
class HostResidentTensorsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int LARGE = HostResidentTensors.MIN_ELEMENTS * 3 + 5;
    /** Above the size whose check runs on the common pool beside the output's allocation (2^20 elements). */
    private static final int HUGE = (1 << 20) + 7;
    private static final int CAPACITY = 16;

    private final CpuBackend backend = new CpuBackend(HybridLogicalClock.system(), WAIT);

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    private KernelInstance launched(KernelDefinition definition) {
        KernelInstance instance = backend.launch(definition, TestKernels.settings(CAPACITY, 16 << 20));
        instance.activate();
        assertEquals(KernelState.ACTIVE, instance.awaitState(s -> s == KernelState.ACTIVE, WAIT));
        return instance;
    }

    @Test
    void largeRequestsComputeRightThroughEveryRingSlotAndLeaveTheirInputsAlone() throws Exception {
        KernelDefinition scale = TestKernels.scale();
        KernelInstance instance = launched(scale);
        SplittableRandom random = new SplittableRandom(3);
        for (int round = 0; round < CAPACITY * 3; round++) {
            int size = round % 2 == 0 ? LARGE : 1 + random.nextInt(100);
            float[] x = new float[size];
            for (int i = 0; i < size; i++) {
                x[i] = (float) (random.nextDouble() * 200 - 100);
            }
            float[] copy = x.clone();
            double factor = 0.5 + round;

            Completion completion = RequestPump.call(instance,
                    scale.bindForStaging(KernelRequest.of(Tensor.of(x)).withParam("factor", factor)), WAIT);

            assertEquals(CompletionStatus.OK, completion.status(), completion.failure());
            float[] y = completion.outputs().get(0).data();
            assertEquals(size, y.length);
            for (int i = 0; i < size; i++) {
                double expected = (double) x[i] * (float) factor;
                assertEquals(expected, y[i], Math.ulp((float) expected), "round " + round + " element " + i);
            }
            assertArrayEquals(copy, x, "the input is read where it lies, never written");
        }
    }

    /**
     * Both sizes: one checked on the staging thread, and one large enough for the check to run on the common pool
     * while the result array is allocated.
     */
    @ParameterizedTest(name = "{0} elements")
    @ValueSource(ints = {LARGE, HUGE})
    void aNonFiniteValueInALargeInputIsNamedByElementAndTheNextRequestComputesRight(int size) throws Exception {
        KernelDefinition scale = TestKernels.scale();
        KernelInstance instance = launched(scale);
        for (int element : new int[] {0, HostResidentTensors.MIN_ELEMENTS, size - 1}) {
            float[] x = new float[size];
            x[element] = element % 2 == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
            KernelRequest request = KernelRequest.of(Tensor.of(x));

            InvalidKernelInputException rejected = assertThrows(InvalidKernelInputException.class,
                    () -> RequestPump.call(instance, scale.bindForStaging(request), WAIT));

            assertEquals("kernel 'scale', input 'x': element " + element + " is " + x[element]
                    + "; this kernel accepts finite values only", rejected.getMessage());
        }
        float[] ones = new float[size];
        Arrays.fill(ones, 1.5f);
        ones[size - 1] = -Float.MAX_VALUE;
        Completion next = RequestPump.call(instance, scale.bindForStaging(KernelRequest.of(Tensor.of(ones))), WAIT);
        float[] y = next.outputs().get(0).data();
        assertEquals(3f, y[0]);
        assertEquals(3f, y[size - 2]);
        assertEquals(Float.NEGATIVE_INFINITY, y[size - 1], "finite inputs are accepted, whatever they give");
        assertEquals(0, instance.channel().inFlight());
    }

    @Test
    void aLargeOutputTheKernelNeverWroteFailsTheRequestNamingIt() throws Exception {
        KernelDefinition lazy = new KernelDefinition("lazy", "writes only its first element", new KernelSignature(
                List.of(TensorSpec.required("x", "any")), List.of(TensorSpec.required("y", "same as x")),
                List.of(ParamSpec.anyFinite("factor", 2.0, "unused")), InputValues.FINITE, ShapeRule.elementwise()),
                call -> call.output(0).put(0, 1f), Optional.empty(), true);
        KernelInstance instance = launched(lazy);

        Completion completion = RequestPump.call(instance,
                lazy.bindForStaging(KernelRequest.of(Tensor.of(new float[LARGE]))), WAIT);

        assertEquals(CompletionStatus.KERNEL_ERROR, completion.status());
        assertTrue(completion.failure().startsWith("kernel 'lazy' did not write output 'y' (element "),
                completion.failure());
    }

    @Test
    void largeOutputsReadInPlaceStayInTheArena() throws Exception {
        KernelDefinition scale = TestKernels.scale();
        KernelInstance instance = launched(scale);
        float[] x = new float[LARGE];
        for (int i = 0; i < LARGE; i++) {
            x[i] = i % 1000;
        }

        Completion completion = RequestPump.callInPlace(instance, scale.bindForStaging(KernelRequest.of(Tensor.of(x))),
                WAIT);

        assertEquals(CompletionStatus.OK, completion.status());
        try (ArenaOutputs outputs = completion.inPlace().orElseThrow()) {
            float[] y = new float[LARGE];
            outputs.copyTo(0, y, 0);
            for (int i = 0; i < LARGE; i++) {
                assertEquals(2f * x[i], y[i], "element " + i);
            }
        }
    }
}
