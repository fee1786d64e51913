package org.ringkernel.http;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import org.ringkernel.bridge.kernel.CpuKernel;
import org.ringkernel.bridge.kernel.KernelCall;
import org.ringkernel.bridge.kernel.KernelDefinition;

/**
 * A {@link GatedKernel} whose every batch also takes at least a given time: its drain rate is known not to pass
 * one batch per that time, so a test knows a lower bound of the wait the kernel's actor expects.
 */
public final class SlowGatedKernel {
    private SlowGatedKernel() {
    }

    public static KernelDefinition definition(String id, Semaphore gate, Duration batchTime) {
        KernelDefinition gated = GatedKernel.definition(id, gate);
        CpuKernel slow = new CpuKernel() {
            @Override
            public void execute(KernelCall call) {
                gated.cpu().execute(call);
            }

            @Override
            public void executeBatch(List<KernelCall> batch) {
                long end = System.nanoTime() + batchTime.toNanos();
                gated.cpu().executeBatch(batch);
                for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
                    LockSupport.parkNanos(left);
                }
            }
        };
        return new KernelDefinition(id, "negates its input once the test opens the gate, slowly", gated.signature(),
                slow, gated.cuda(), gated.pure());
    }
}
