package org.ringkernel.bridge.testkit;

import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.ringkernel.bridge.kernel.CpuKernel;
import org.ringkernel.bridge.kernel.InputValues;
import org.ringkernel.bridge.kernel.KernelCall;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelSignature;
import org.ringkernel.bridge.kernel.ParamSpec;
import org.ringkernel.bridge.kernel.ShapeRule;
import org.ringkernel.bridge.kernel.TensorSpec;
import org.ringkernel.bridge.runtime.InstanceSettings;
import org.ringkernel.bridge.runtime.InstanceSettings.IdleSettings;

/** Small kernels and settings for testing the runtime without the kernel library. */
public final class TestKernels {
    private TestKernels() {
    }

    /** Instance settings for tests: short spins so idle loops park instead of burning a test machine's cores. */
    public static InstanceSettings settings(int capacity, int arenaBytes) {
        return new InstanceSettings(capacity, arenaBytes, capacity, true,
                new IdleSettings(200, 10, Duration.ofMillis(1)));
    }

    /** {@code y = factor * x}, with {@code factor} defaulting to 2. */
    public static KernelDefinition scale() {
        return define("scale", call -> {
            FloatBuffer in = call.input(0);
            FloatBuffer out = call.output(0);
            float factor = call.param(0);
            for (int i = 0; i < out.limit(); i++) {
                out.put(i, in.get(i) * factor);
            }
        });
    }

    /**
     * Like {@link #scale()}, but each batch first signals {@code entered} and then waits for {@code release},
     * holding the loop busy for as long as a test needs.
     */
    public static KernelDefinition blocking(CountDownLatch entered, CountDownLatch release) {
        CpuKernel scale = scale().cpu();
        return define("blocking", new CpuKernel() {
            @Override
            public void execute(KernelCall call) {
                scale.execute(call);
            }

            @Override
            public void executeBatch(List<KernelCall> batch) {
                entered.countDown();
                try {
                    if (!release.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test never released the blocking kernel");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                CpuKernel.super.executeBatch(batch);
            }
        });
    }

    /** Throws on any request whose first element is negative, else scales. */
    public static KernelDefinition failingOnNegative() {
        CpuKernel scale = scale().cpu();
        return define("fragile", call -> {
            if (call.input(0).get(0) < 0) {
                throw new ArithmeticException("negative input in request " + call.requestId());
            }
            scale.execute(call);
        });
    }

    private static KernelDefinition define(String id, CpuKernel cpu) {
        KernelSignature signature = new KernelSignature(
                List.of(TensorSpec.required("x", "any")),
                List.of(TensorSpec.required("y", "same as x")),
                List.of(ParamSpec.anyFinite("factor", 2.0, "what x is multiplied by")),
                InputValues.FINITE, ShapeRule.elementwise());
        return new KernelDefinition(id, "multiplies by a factor", signature, cpu, Optional.empty(), true);
    }
}
