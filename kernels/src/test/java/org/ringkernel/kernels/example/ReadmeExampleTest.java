package org.ringkernel.kernels.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.Backends;
import org.ringkernel.bridge.kernel.BoundRequest;
import org.ringkernel.bridge.kernel.InvalidKernelInputException;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.runtime.Backend;
import org.ringkernel.bridge.runtime.BackendKind;
import org.ringkernel.bridge.runtime.BridgeSettings;
import org.ringkernel.bridge.runtime.Completion;
import org.ringkernel.bridge.runtime.KernelInstance;
import org.ringkernel.bridge.runtime.RequestPump;
import org.ringkernel.kernels.builtin.BuiltinKernels;

/** The README's example, as written there, and the error message it quotes. */
class ReadmeExampleTest {

    @Test
    void squareThroughTheRuntime() throws Exception {
        BridgeSettings settings = BridgeSettings.fromConfig(ConfigFactory.load(), Map.of()).withBackend(BackendKind.AUTO);
        try (Backend backend = Backends.open(settings, BuiltinKernels.all());
             KernelInstance square = backend.launch(BuiltinKernels.get("square"), settings.instance())) {
            square.activate();
            BoundRequest request = square.definition().bind(KernelRequest.of(Tensor.of(1f, 2f, 3f)));
            Completion done = RequestPump.call(square, request, Duration.ofSeconds(5));
            assertEquals("Tensor[3][1.0, 4.0, 9.0]", done.outputs().get(0).toString());
        }
    }

    @Test
    void quotedShapeError() {
        KernelRequest request = KernelRequest.of(Tensor.of(new int[] {2, 3}, new float[6]),
                Tensor.of(new int[] {4, 2}, new float[8]));
        InvalidKernelInputException e = assertThrows(InvalidKernelInputException.class,
                () -> BuiltinKernels.get("matmul").bind(request));
        assertEquals("kernel 'matmul', input 'b': expected dimension 0 to be 3 (the columns of 'a'), got shape [4, 2]",
                e.getMessage());
    }
}
