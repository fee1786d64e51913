package org.ringkernel.kernels.builtin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.kernels.reference.Float64Reference;
import org.ringkernel.kernels.reference.ReferenceCase;
import org.ringkernel.kernels.reference.ReferenceCases;

/**
 * The kernel contract: every runner computes every built-in kernel like the float64 reference, within each
 * case's tolerance, for all of {@link ReferenceCases}: odd sizes, dimensions of 1 and non-default params.
 * Tagged {@code cuda}: its CUDA row runs on a GPU machine (scripts/gpu-check.sh) and skips elsewhere.
 */
@Tag("cuda")
class BuiltinKernelsContractTest {
    private static final String RUNNERS = "org.ringkernel.kernels.builtin.KernelRunners#all";

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("everyRunnerWithEveryCase")
    void matchesTheFloat64Reference(KernelRunner runner, ReferenceCase c) {
        KernelDefinition kernel = BuiltinKernels.get(c.kernelId());
        // Seeded by the case's description, so each case has its own inputs and a failure reproduces.
        KernelRequest request = c.request(new Random(c.toString().hashCode()));

        List<Tensor> outputs = runner.run(kernel, request);

        assertEquals(1, outputs.size(), "outputs");
        assertArrayEquals(c.outputShape(), outputs.get(0).shape(), "output shape");
        double[] expected = Float64Reference.compute(c.kernelId(), request.inputs(), kernel.bind(request).params());
        assertCloseTo(expected, outputs.get(0), c.tolerance());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(RUNNERS)
    void echoPassesNanAndInfinitiesThrough(KernelRunner runner) {
        float[] values = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, Float.MIN_VALUE,
                Float.MAX_VALUE};

        Tensor y = runner.run(EchoKernel.definition(), KernelRequest.of(Tensor.of(values.clone()))).get(0);

        assertTrue(Float.isNaN(y.get(0)), "NaN stays NaN, got " + y.get(0));
        for (int i = 1; i < values.length; i++) {
            assertEquals(Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(y.get(i)), "element " + i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(RUNNERS)
    void statsKeepsTheSpreadOfAMillionValuesFarFromZero(KernelRunner runner) {
        Random random = new Random(7);
        float[] values = new float[1_000_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = 1e4f + (float) (0.1 * random.nextGaussian());
        }
        Tensor x = Tensor.of(values);
        double[] expected = Float64Reference.stats(x, 1);

        Tensor stats = runner.run(StatsKernel.definition(), KernelRequest.of(x).withParam("ddof", 1)).get(0);

        assertEquals(1e6, stats.get(StatsKernel.COUNT), "count");
        double mean = expected[StatsKernel.MEAN];
        double std = expected[StatsKernel.STD];
        assertEquals(mean, stats.get(StatsKernel.MEAN), 1e-6 * mean, "mean");
        assertEquals(std, stats.get(StatsKernel.STD), 1e-6 * std, "std");
        assertEquals(expected[StatsKernel.MIN], stats.get(StatsKernel.MIN), "min");
        assertEquals(expected[StatsKernel.MAX], stats.get(StatsKernel.MAX), "max");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyCase")
    void cudaAgreesWithTheCpuBackend(ReferenceCase c) {
        CudaKernelRunner cuda = new CudaKernelRunner();
        KernelDefinition kernel = BuiltinKernels.get(c.kernelId());
        KernelRequest request = c.request(new Random(c.toString().hashCode()));

        Tensor onGpu = cuda.run(kernel, request).get(0);
        Tensor onCpu = new CpuBackendKernelRunner().run(kernel, request).get(0);

        assertArrayEquals(onCpu.shape(), onGpu.shape(), "output shape");
        double[] cpu = new double[onCpu.size()];
        for (int i = 0; i < cpu.length; i++) {
            cpu[i] = onCpu.get(i);
        }
        assertCloseTo(cpu, onGpu, c.tolerance());
    }

    static Stream<ReferenceCase> everyCase() {
        return ReferenceCases.all().stream();
    }

    static Stream<Arguments> everyRunnerWithEveryCase() {
        List<ReferenceCase> cases = ReferenceCases.all();
        return KernelRunners.all().flatMap(runner -> cases.stream().map(c -> Arguments.of(runner, c)));
    }

    private static void assertCloseTo(double[] expected, Tensor actual, double tolerance) {
        assertEquals(expected.length, actual.size(), "output elements");
        for (int i = 0; i < expected.length; i++) {
            double got = actual.get(i);
            // Written as a negated <= so that NaN, the poison of an unwritten element, fails too.
            if (!(Math.abs(got - expected[i]) <= tolerance * Math.max(1, Math.abs(expected[i])))) {
                fail("element " + i + " of " + actual.size() + ": got " + got + ", expected " + expected[i]
                        + " within a relative " + tolerance);
            }
        }
    }
}
