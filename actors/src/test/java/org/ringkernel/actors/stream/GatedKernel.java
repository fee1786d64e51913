package org.ringkernel.actors.stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.ringkernel.bridge.kernel.CpuKernel;
import org.ringkernel.bridge.kernel.InputValues;
import org.ringkernel.bridge.kernel.KernelCall;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelSignature;
import org.ringkernel.bridge.kernel.ShapeRule;
import org.ringkernel.bridge.kernel.TensorSpec;

/**
 * A custom kernel that copies its input to its output only once the test opens its gate, so a test can hold
 * requests in the kernel for as long as it needs.
 */
final class GatedKernel implements CpuKernel {
    /** A test that fails before opening the gate must not hold the kernel's thread for good. */
    private static final long MAX_HOLD_SECONDS = 10;

    private final CountDownLatch gate = new CountDownLatch(1);
    private final CountDownLatch entered = new CountDownLatch(1);

    /** The definition to register under {@code id}. */
    KernelDefinition definition(String id) {
        KernelSignature signature = new KernelSignature(List.of(TensorSpec.required("x", "[n]")),
                List.of(TensorSpec.required("y", "same as x")), List.of(), InputValues.FINITE, ShapeRule.elementwise());
        return new KernelDefinition(id, "y = x once the test opens the gate", signature, this, Optional.empty(), true);
    }

    /** Waits until the kernel holds a request at its gate. */
    void awaitEntered() throws InterruptedException {
        assertTrue(entered.await(MAX_HOLD_SECONDS, TimeUnit.SECONDS), "no request reached the gated kernel");
    }

    /** Lets every held and later request through. */
    void open() {
        gate.countDown();
    }

    @Override
    public void execute(KernelCall call) {
        entered.countDown();
        try {
            gate.await(MAX_HOLD_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        call.output(0).put(call.input(0));
    }
}
