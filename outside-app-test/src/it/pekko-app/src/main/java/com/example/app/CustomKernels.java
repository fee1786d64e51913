package com.example.app;

import java.nio.FloatBuffer;
import org.ringkernel.bridge.kernel.KernelDefinition;

/** The application's own kernel, declared with RingKernel's kernel builder and registered beside the built-ins. */
final class CustomKernels {
    static final String NEGATE = "app_negate";

    private CustomKernels() {
    }

    /** {@code y = -x}, elementwise, with a CPU implementation only. */
    static KernelDefinition negate() {
        return KernelDefinition.elementwise(NEGATE)
                .describedAs("y = -x, element-wise")
                .cpu(call -> {
                    FloatBuffer x = call.input(0);
                    FloatBuffer y = call.output(0);
                    for (int i = 0; i < y.limit(); i++) {
                        y.put(i, -x.get(i));
                    }
                })
                .build();
    }
}
