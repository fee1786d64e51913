package org.ringkernel.actors;

import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.ringkernel.bridge.kernel.CpuKernel;
import org.ringkernel.bridge.kernel.InputValues;
import org.ringkernel.bridge.kernel.KernelCall;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelSignature;
import org.ringkernel.bridge.kernel.ShapeRule;
import org.ringkernel.bridge.kernel.TensorSpec;

/** Custom kernels for tests, registered the way an application registers its own. */
final class TestKernels {
    private TestKernels() {
    }

    /** {@code y = -x}, a pure kernel. */
    static KernelDefinition negate(String id) {
        return define(id, call -> {
            FloatBuffer in = call.input(0);
            FloatBuffer out = call.output(0);
            for (int i = 0; i < out.limit(); i++) {
                out.put(i, -in.get(i));
            }
        });
    }

    /**
     * Like {@link #negate}, but every batch takes a permit from {@code gate} first, so a test decides when
     * the kernel may finish a batch and can hold requests in the ring meanwhile.
     */
    static KernelDefinition gated(String id, Semaphore gate) {
        CpuKernel negate = negate(id).cpu();
        return define(id, new CpuKernel() {
            @Override
            public void execute(KernelCall call) {
                negate.execute(call);
            }

            @Override
            public void executeBatch(List<KernelCall> batch) {
                try {
                    if (!gate.tryAcquire(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test never let the batch through");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                CpuKernel.super.executeBatch(batch);
            }
        });
    }

    /**
     * Like {@link #gated}, and every batch also takes at least {@code batchTime}: a kernel whose drain rate
     * is known not to pass one batch per {@code batchTime}.
     */
    static KernelDefinition slowGated(String id, Semaphore gate, Duration batchTime) {
        CpuKernel gated = gated(id, gate).cpu();
        return define(id, new CpuKernel() {
            @Override
            public void execute(KernelCall call) {
                gated.execute(call);
            }

            @Override
            public void executeBatch(List<KernelCall> batch) {
                long end = System.nanoTime() + batchTime.toNanos();
                gated.executeBatch(batch);
                for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
                    LockSupport.parkNanos(left);
                }
            }
        });
    }

    private static KernelDefinition define(String id, CpuKernel cpu) {
        KernelSignature signature = new KernelSignature(List.of(TensorSpec.required("x", "any")),
                List.of(TensorSpec.required("y", "same as x")), List.of(), InputValues.FINITE, ShapeRule.elementwise());
        return new KernelDefinition(id, "negates its input", signature, cpu, Optional.empty(), true);
    }
}
