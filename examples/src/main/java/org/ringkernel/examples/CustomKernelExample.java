package org.ringkernel.examples;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * A custom kernel, {@code affine}: {@code y = scale * x + shift} element-wise, declared with the
 * {@link KernelDefinition} builder, registered with {@link RingKernels} and called like a built-in. Run it with
 * {@code java -cp ... org.ringkernel.examples.CustomKernelExample}; it prints {@code 3x - 1} of 1, 2, 3.
 *
 * <p>The README's section "Custom kernels" shows the lines between the {@code README} markers below, and a
 * test checks that it still does: change both together.
 */
public final class CustomKernelExample {
    private CustomKernelExample() {
    }

    public static void main(String[] args) throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "custom-kernel-example");
        try {
            System.out.println("3x - 1: " + Arrays.toString(run(system, new float[] {1f, 2f, 3f})));
        } finally {
            system.terminate();
        }
    }

    /** Registers {@code affine} on {@code system} and computes {@code 3x - 1} of {@code input} with it. */
    public static float[] run(ActorSystem<?> system, float[] input) throws Exception {
        // README: begin
        // An element-wise kernel takes x and gives y of x's shape; call.param reads params in the order declared.
        KernelDefinition affine = KernelDefinition.elementwise("affine")
                .describedAs("y = scale * x + shift, element-wise")
                .param("scale", 2.0, "the factor of x")
                .param("shift", 1.0, "added after scaling")
                .cpu(call -> {
                    float scale = call.param(0);
                    float shift = call.param(1);
                    FloatBuffer x = call.input(0);
                    FloatBuffer y = call.output(0);
                    for (int i = 0; i < y.limit(); i++) {   // every element of y must be written
                        y.put(i, scale * x.get(i) + shift);
                    }
                })
                .build();

        // Registered, it is a kernel like the built-ins: RingKernels.get(system).kernel("affine") finds it too.
        KernelRef kernel = RingKernels.get(system).register(affine);
        KernelResult result = kernel.process(KernelRequest.of(Tensor.of(input)).withParam("scale", 3)
                .withParam("shift", -1)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        // README: end
        return result.output().data();
    }
}
