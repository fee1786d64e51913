package org.ringkernel.data.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ringkernel.actors.InvalidRequestException;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.actors.UnknownKernelException;
import org.ringkernel.bridge.kernel.InputValues;
import org.ringkernel.bridge.kernel.KernelDefinition;

/** Pipelines of stages against float64 references, custom kernels as stages, and the errors that name a stage. */
class TensorPipelineTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** GELU (tanh form) for the CUDA backend, in the style of the shipped kernel sources. */
    static final String GELU_CUDA = """
            // tensor_gelu: y = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
            #include "ringkernel/elementwise.cuh"
            #include "ringkernel/entries.cuh"

            namespace rk {

            struct Gelu {
                __device__ float operator()(float x) const {
                    float inner = 0.7978845608f * (x + 0.044715f * x * x * x);
                    return 0.5f * x * (1.0f + tanhf(inner));
                }
            };

            struct GeluOp {
                static __device__ bool accepts(const Call& call) { return elementwise_fits(call, 1, 0); }

                static __device__ void block(const Call& call) { map_unary(call, block_elements(), Gelu{}); }

                static __device__ void grid(const Call& call, char*) { map_unary(call, grid_elements(), Gelu{}); }
            };

            }  // namespace rk

            RK_KERNEL_ENTRIES(tensor_gelu, rk::GeluOp)
            """;

    private ActorTestKit testKit;
    private RingKernels kernels;

    @BeforeEach
    void start() {
        testKit = TensorTestKit.create();
        kernels = RingKernels.get(testKit.system());
    }

    @AfterEach
    void stop() {
        testKit.shutdownTestKit();
    }

    /** GELU with a CPU implementation that counts its requests, and the CUDA source above. */
    static KernelDefinition gelu(AtomicInteger calls) {
        return KernelDefinition.elementwise("tensor_gelu")
                .describedAs("y = gelu(x), tanh form")
                .cpu(call -> {
                    calls.incrementAndGet();
                    FloatBuffer x = call.input(0);
                    FloatBuffer y = call.output(0);
                    for (int i = 0; i < y.limit(); i++) {
                        y.put(i, (float) References.gelu(x.get(i)));
                    }
                })
                .cuda(GELU_CUDA, "rk_tensor_gelu_ring")
                .build();
    }

    @Test
    void threeStagesMatchTheirReference() {
        int[][] shapes = {{4, 6, 10}, {1, 1, 1}, {13, 7, 3}};
        for (int[] shape : shapes) {
            int m = shape[0];
            int k = shape[1];
            int n = shape[2];
            NdArray x = NdArray.random(m, m, k);
            NdArray weights = NdArray.random(k + 50L, k, n);
            NdArray gamma = NdArray.random(n + 60L, n);
            NdArray beta = NdArray.random(n + 70L, n);
            TensorPipeline pipeline = TensorPipeline.on(kernels)
                    .then(Ops.matmul(weights))
                    .then(Ops.layerNorm(gamma, beta, 1e-5))
                    .then(Ops.softmax());

            NdArray y = pipeline.runAndWait(x, WAIT);

            double[] reference = References.softmax(References.layerNorm(
                    References.matmul(x.toArray(), weights.toArray(), m, k, n), n, gamma.toArray(), beta.toArray(),
                    1e-5), n);
            // The stages hand float32 arrays on: each boundary rounds once more than the float64 chain.
            References.assertClose(new int[] {m, n}, reference, y, 1e-4);
            assertArrayEquals(new int[] {m, n}, pipeline.outputShape(m, k));
        }
    }

    @Test
    void aCustomKernelRegistersOnFirstUseAndRunsAsAStage() {
        AtomicInteger calls = new AtomicInteger();
        KernelDefinition gelu = gelu(calls);
        NdArray x = NdArray.random(5, 3, 17);
        NdArray weights = NdArray.random(6, 17, 5);
        TensorPipeline pipeline = TensorPipeline.on(kernels)
                .then(Ops.matmul(weights))
                .then(Ops.kernel(gelu))
                .then(Ops.softmax());

        NdArray first = pipeline.runAndWait(x, WAIT);
        NdArray second = pipeline.runAndWait(x, WAIT);

        double[] hidden = References.matmul(x.toArray(), weights.toArray(), 3, 17, 5);
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = References.gelu(hidden[i]);
        }
        References.assertClose(new int[] {3, 5}, References.softmax(hidden, 5), first, 1e-4);
        assertEquals(first, second);
        assertEquals(2, calls.get());
        assertTrue(kernels.knownIds().contains("tensor_gelu"));
        // Registered, it is found by id too.
        References.assertClose(new int[] {3, 5}, References.softmax(hidden, 5),
                TensorPipeline.on(kernels).then(Ops.matmul(weights)).then(Ops.kernel("tensor_gelu"))
                        .then(Ops.softmax()).runAndWait(x, WAIT), 1e-4);
    }

    @Test
    void aCustomKernelTakesFurtherInputsAndParams() {
        KernelDefinition blend = KernelDefinition.elementwise("tensor_blend")
                .describedAs("y = x + alpha * other")
                .input("x", "[...]")
                .input("other", "same as x")
                .param("alpha", 1.0, "the factor of other")
                .cpu(call -> {
                    float alpha = call.param(0);
                    FloatBuffer x = call.input(0);
                    FloatBuffer other = call.input(1);
                    FloatBuffer y = call.output(0);
                    for (int i = 0; i < y.limit(); i++) {
                        y.put(i, x.get(i) + alpha * other.get(i));
                    }
                })
                .build();
        NdArray x = NdArray.of(new float[] {1, 2, 3, 4}, 2, 2);
        NdArray other = NdArray.of(new float[] {10, 20, 30, 40}, 2, 2);

        NdArray y = TensorPipeline.on(kernels).then(Ops.kernel(blend, other).withParam("alpha", 0.5))
                .runAndWait(x, WAIT);

        assertEquals(NdArray.of(new float[] {6, 12, 18, 24}, 2, 2), y);
        TensorShapeException misfit = assertThrows(TensorShapeException.class,
                () -> TensorPipeline.on(kernels).then(Ops.kernel(blend, NdArray.zeros(4))).run(x));
        assertEquals("stage 1 of 1 (tensor_blend) cannot take shape [2, 2]: further input 1 has shape [4]; an"
                + " element-wise stage needs the running shape", misfit.getMessage());
    }

    @Test
    void aShapeMisfitNamesTheStageAndShapesBeforeAnythingIsSent() {
        AtomicInteger calls = new AtomicInteger();
        TensorPipeline pipeline = TensorPipeline.on(kernels)
                .then(Ops.kernel(gelu(calls)))
                .then(Ops.matmul(NdArray.zeros(8, 3)))
                .then(Ops.softmax());

        TensorShapeException error = assertThrows(TensorShapeException.class,
                () -> pipeline.run(NdArray.zeros(2, 5)));

        assertEquals("stage 2 of 3 (matmul(weights [8, 3])) cannot take shape [2, 5]: its last dimension is 5 but"
                + " the weights [8, 3] have 8 rows", error.getMessage());
        assertEquals(2, error.position());
        assertArrayEquals(new int[] {2, 5}, error.inputShape());
        assertEquals(0, calls.get());
        assertThrows(TensorShapeException.class, () -> pipeline.outputShape(2, 5));
        assertArrayEquals(new int[] {2, 3}, pipeline.outputShape(2, 8));
    }

    @Test
    void aKernelsErrorNamesItsStageAndStopsTheStagesAfterIt() {
        AtomicInteger calls = new AtomicInteger();
        // Gives +Infinity, which softmax does not accept.
        KernelDefinition overflow = KernelDefinition.elementwise("tensor_overflow")
                .describedAs("y = x * 1e38 * 1e38")
                .accepting(InputValues.ANY)
                .cpu(call -> {
                    FloatBuffer x = call.input(0);
                    FloatBuffer y = call.output(0);
                    for (int i = 0; i < y.limit(); i++) {
                        y.put(i, x.get(i) * 1e38f * 1e38f);
                    }
                })
                .build();
        TensorPipeline pipeline = TensorPipeline.on(kernels)
                .then(Ops.kernel(overflow))
                .then(Ops.softmax())
                .then(Ops.kernel(gelu(calls)));

        TensorStageException error = assertThrows(TensorStageException.class,
                () -> pipeline.runAndWait(NdArray.of(new float[] {0, 1, 2}, 3), WAIT));

        assertEquals(2, error.position());
        assertEquals("softmax", error.stage());
        assertInstanceOf(InvalidRequestException.class, error.getCause());
        assertTrue(error.getMessage().startsWith("stage 2 of 3 (softmax): "), error.getMessage());
        assertTrue(error.getMessage().contains("element 1 is Infinity"), error.getMessage());
        assertEquals(0, calls.get());
    }

    @Test
    void unknownAndClashingKernelsAreNamedBeforeAnythingIsSent() {
        TensorStageException unknown = assertThrows(TensorStageException.class,
                () -> TensorPipeline.on(kernels).then(Ops.softmax()).then(Ops.kernel("no_such_kernel"))
                        .run(NdArray.zeros(2)));
        assertEquals(2, unknown.position());
        assertInstanceOf(UnknownKernelException.class, unknown.getCause());
        assertTrue(unknown.getMessage().startsWith("stage 2 of 2 (no_such_kernel): no kernel 'no_such_kernel'"),
                unknown.getMessage());

        TensorPipeline.on(kernels).then(Ops.kernel(gelu(new AtomicInteger()))).runAndWait(NdArray.zeros(2), WAIT);
        TensorStageException clash = assertThrows(TensorStageException.class,
                () -> TensorPipeline.on(kernels).then(Ops.kernel(gelu(new AtomicInteger()))).run(NdArray.zeros(2)));
        assertTrue(clash.getMessage().contains("a different kernel 'tensor_gelu' is registered already"),
                clash.getMessage());
    }
}
