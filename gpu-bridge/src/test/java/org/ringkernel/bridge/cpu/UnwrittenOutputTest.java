package org.ringkernel.bridge.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.clock.HybridLogicalClock;
import org.ringkernel.bridge.kernel.CpuKernel;
import org.ringkernel.bridge.kernel.InputValues;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.runtime.Completion;
import org.ringkernel.bridge.runtime.CompletionStatus;
import org.ringkernel.bridge.runtime.InstanceSettings;
import org.ringkernel.bridge.runtime.InstanceSettings.IdleSettings;
import org.ringkernel.bridge.runtime.KernelInstance;
import org.ringkernel.bridge.runtime.OutputCheck;
import org.ringkernel.bridge.runtime.RequestPump;

/** A kernel that leaves output elements unwritten fails its request, naming the output, instead of answering stale data. */
class UnwrittenOutputTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final CpuBackend backend = new CpuBackend(HybridLogicalClock.system(), WAIT);

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    private Completion run(OutputCheck check, CpuKernel cpu, float[] x) throws Exception {
        KernelDefinition definition = KernelDefinition.elementwise("partial").describedAs("writes what the test says")
                .accepting(InputValues.ANY).cpu(cpu).build();
        // Without the NaN fill of tests, so that what an unchecked element holds is whatever the arena held.
        KernelInstance instance = backend.launch(definition, new InstanceSettings(16, 1 << 16, 16, false,
                new IdleSettings(200, 10, Duration.ofMillis(1))).withOutputCheck(check));
        try {
            instance.activate();
            return RequestPump.call(instance, definition.bind(KernelRequest.of(Tensor.of(x))), WAIT);
        } finally {
            instance.terminate(WAIT);
        }
    }

    private static float[] ramp(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return x;
    }

    /** Writes {@code 2x + 1} into elements {@code [from, to)} of a fraction of the output. */
    private static CpuKernel writing(double fromFraction, double toFraction, int step) {
        return call -> {
            FloatBuffer x = call.input(0);
            FloatBuffer y = call.output(0);
            int n = y.limit();
            for (int i = (int) (n * fromFraction); i < (int) (n * toFraction); i += step) {
                y.put(i, 2 * x.get(i) + 1);
            }
        };
    }

    @Test
    void aKernelThatWritesNothingFailsItsRequestNamingTheOutput() throws Exception {
        Completion completion = run(OutputCheck.SAMPLE, call -> { }, new float[] {1, 2, 3, 4});

        assertEquals(CompletionStatus.KERNEL_ERROR, completion.status());
        assertEquals("kernel 'partial' did not write output 'y' (element 0 of 4 still holds the poison written"
                + " before it ran)", completion.detail());
        assertTrue(completion.outputs().isEmpty(), "no outputs of a failed request");
    }

    @Test
    void aKernelThatWritesEverythingPasses() throws Exception {
        for (OutputCheck check : OutputCheck.values()) {
            Completion completion = run(check, writing(0, 1, 1), ramp(1000));

            assertEquals(CompletionStatus.OK, completion.status(), check + ": " + completion.failure());
            float[] expected = new float[1000];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = 2 * i + 1;
            }
            assertArrayEquals(expected, completion.outputs().get(0).data(), check.toString());
        }
    }

    @Test
    void theDefaultSampleCatchesAKernelThatWritesOnlyHalf() throws Exception {
        Completion firstHalf = run(OutputCheck.SAMPLE, writing(0, 0.5, 1), ramp(1000));
        Completion secondHalf = run(OutputCheck.SAMPLE, writing(0.5, 1, 1), ramp(1000));

        assertEquals(CompletionStatus.KERNEL_ERROR, firstHalf.status());
        assertTrue(firstHalf.detail().startsWith("kernel 'partial' did not write output 'y' (element "),
                firstHalf.detail());
        assertEquals(CompletionStatus.KERNEL_ERROR, secondHalf.status());
        assertTrue(secondHalf.detail().contains("(element 0 of 1000 "), secondHalf.detail());
    }

    @Test
    void theFullCheckCatchesOneElementLeftOut() throws Exception {
        Completion completion = run(OutputCheck.FULL, call -> {
            writing(0, 1, 1).execute(call);
            call.output(0).put(777, Float.intBitsToFloat(OutputCheck.POISON_BITS));
        }, ramp(1000));

        assertEquals(CompletionStatus.KERNEL_ERROR, completion.status());
        assertTrue(completion.detail().contains("(element 777 of 1000 "), completion.detail());
    }

    @Test
    void aKernelWritingNanIsNotTakenForOneThatDidNotWrite() throws Exception {
        Completion completion = run(OutputCheck.FULL, call -> {
            FloatBuffer y = call.output(0);
            for (int i = 0; i < y.limit(); i++) {
                y.put(i, Float.NaN);
            }
        }, ramp(8));

        assertEquals(CompletionStatus.OK, completion.status(), completion.failure());
    }

    @Test
    void withTheCheckOffAnUnwrittenOutputGoesUnnoticed() throws Exception {
        Completion completion = run(OutputCheck.OFF, call -> { }, new float[] {1, 2, 3, 4});

        assertEquals(CompletionStatus.OK, completion.status());
    }
}
