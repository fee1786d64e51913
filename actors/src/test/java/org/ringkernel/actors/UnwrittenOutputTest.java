package org.ringkernel.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.ringkernel.actors.ActorTestSupport.await;
import static org.ringkernel.actors.ActorTestSupport.failure;

import java.nio.FloatBuffer;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * A custom kernel that leaves its output unwritten fails the request as {@code KERNEL_FAILED}, naming the kernel,
 * the output and the element, under the default {@code ringkernel.kernel.output-check}; the instance stays up.
 */
class UnwrittenOutputTest {
    private final ActorTestKit testKit = ActorTestSupport.testKit("ringkernel.backend = cpu\n"
            + "ringkernel.kernels.start = []");

    @AfterEach
    void shutdown() {
        testKit.shutdownTestKit();
    }

    /** Writes {@code 2x + 1} into the first {@code fraction} of its output. */
    private KernelRef writing(String id, double fraction) {
        return RingKernels.get(testKit.system()).register(KernelDefinition.elementwise(id)
                .describedAs("writes a fraction of y").cpu(call -> {
                    FloatBuffer x = call.input(0);
                    FloatBuffer y = call.output(0);
                    for (int i = 0; i < (int) (y.limit() * fraction); i++) {
                        y.put(i, 2 * x.get(i) + 1);
                    }
                }).build());
    }

    @Test
    void aKernelThatWritesNothingFailsTheRequestNamingTheOutput() {
        KernelRequestException e = failure(writing("lazy", 0).process(KernelRequest.of(Tensor.of(1f, 2f, 3f, 4f))));

        assertInstanceOf(KernelFailedException.class, e);
        assertEquals(ErrorCode.KERNEL_FAILED, e.code());
        assertEquals("kernel 'lazy' did not write output 'y' (element 0 of 4 still holds the poison written before it"
                + " ran)", e.getMessage());
    }

    @Test
    void aKernelThatWritesHalfIsCaughtAndOneThatWritesAllPasses() throws Exception {
        float[] x = new float[1000];
        float[] expected = new float[1000];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
            expected[i] = 2 * i + 1;
        }
        KernelRef half = writing("half", 0.5);

        KernelRequestException e = failure(half.process(KernelRequest.of(Tensor.of(x))));
        assertEquals(ErrorCode.KERNEL_FAILED, e.code());
        assertEquals("kernel 'half' did not write output 'y' (element 507 of 1000 still holds the poison written"
                + " before it ran)", e.getMessage());

        assertArrayEquals(expected, await(writing("whole", 1).process(KernelRequest.of(Tensor.of(x)))).output().data());
    }
}
