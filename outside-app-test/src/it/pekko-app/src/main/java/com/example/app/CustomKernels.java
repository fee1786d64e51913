package com.example.app;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Optional;
import org.ringkernel.bridge.kernel.InputValues;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelSignature;
import org.ringkernel.bridge.kernel.ShapeRule;
import org.ringkernel.bridge.kernel.TensorSpec;

/** The application's own kernel, defined with RingKernel's kernel API and registered beside the built-ins. */
final class CustomKernels {
    static final String NEGATE = "app_negate";

    private CustomKernels() {
    }

    /** {@code y = -x}, elementwise, on the CPU backend only. */
    static KernelDefinition negate() {
        KernelSignature signature = new KernelSignature(List.of(TensorSpec.required("x", "any")),
                List.of(TensorSpec.required("y", "same as x")), List.of(), InputValues.FINITE, ShapeRule.elementwise());
        return new KernelDefinition(NEGATE, "negates its input", signature, call -> {
            FloatBuffer in = call.input(0);
            FloatBuffer out = call.output(0);
            for (int i = 0; i < out.limit(); i++) {
                out.put(i, -in.get(i));
            }
        }, Optional.empty(), true);
    }
}
