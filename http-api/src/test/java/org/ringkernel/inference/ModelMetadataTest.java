package org.ringkernel.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ringkernel.kernels.builtin.BuiltinKernels;

/** Kernel signatures as the protocol's model metadata: names from the signature, FP32, -1 where a size varies. */
class ModelMetadataTest {

    @Test
    void matmulsDimensionsVaryAndItsOutputIsNamedAsInItsSignature() {
        ModelMetadata matmul = ModelMetadata.of(BuiltinKernels.get("matmul"));

        assertEquals(new ModelMetadata("matmul", List.of("1"), "ringkernel",
                List.of(new TensorMetadata("a", "FP32", List.of(-1L, -1L)),
                        new TensorMetadata("b", "FP32", List.of(-1L, -1L))),
                List.of(new TensorMetadata("c", "FP32", List.of(-1L, -1L)))), matmul);
    }

    @Test
    void aFixedSizeStaysAndSameAsFollowsItsInput() {
        ModelMetadata stats = ModelMetadata.of(BuiltinKernels.get("stats"));
        ModelMetadata square = ModelMetadata.of(BuiltinKernels.get("square"));

        assertEquals(List.of(6L), stats.outputs().get(0).shape());
        assertEquals(List.of(-1L), square.inputs().get(0).shape(), "any shape: even the rank varies");
        assertEquals(square.inputs().get(0).shape(), square.outputs().get(0).shape());
    }
}
