package org.ringkernel.http;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.ringkernel.bridge.kernel.CpuKernel;
import org.ringkernel.bridge.kernel.InputValues;
import org.ringkernel.bridge.kernel.KernelCall;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelSignature;
import org.ringkernel.bridge.kernel.ShapeRule;
import org.ringkernel.bridge.kernel.TensorSpec;

/**
 * A custom kernel, {@code y = -x}, whose every batch first takes a permit from a gate: a test decides when a
 * batch may finish, and so can hold requests in the kernel for as long as it needs.
 */
public final class GatedKernel {
    private GatedKernel() {
    }

    public static KernelDefinition definition(String id, Semaphore gate) {
        KernelSignature signature = new KernelSignature(List.of(TensorSpec.required("x", "any")),
                List.of(TensorSpec.required("y", "same as x")), List.of(), InputValues.FINITE, ShapeRule.elementwise());
        return new KernelDefinition(id, "negates its input once the test opens the gate", signature, new Gated(gate),
                Optional.empty(), true);
    }

    private static final class Gated implements CpuKernel {
        private final Semaphore gate;

        Gated(Semaphore gate) {
            this.gate = gate;
        }

        @Override
        public void execute(KernelCall call) {
            FloatBuffer in = call.input(0);
            FloatBuffer out = call.output(0);
            for (int i = 0; i < out.limit(); i++) {
                out.put(i, -in.get(i));
            }
        }

        @Override
        public void executeBatch(List<KernelCall> batch) {
            try {
                if (!gate.tryAcquire(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never opened the gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            CpuKernel.super.executeBatch(batch);
        }
    }
}
