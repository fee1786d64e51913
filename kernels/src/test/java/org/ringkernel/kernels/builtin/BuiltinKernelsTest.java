package org.ringkernel.kernels.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.kernel.CudaEntry;
import org.ringkernel.bridge.kernel.InputValues;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.ParamSpec;
import org.ringkernel.bridge.kernel.TensorSpec;
import org.ringkernel.kernels.cuda.KernelImage;

/** The catalogue holds the ten kernels of the README, with the README's signatures. */
class BuiltinKernelsTest {
    private static final List<String> README_ORDER = List.of("echo", "square", "add", "saxpy", "normalize", "stats",
            "matmul", "softmax", "layer_norm", "attention");

    @Test
    void allListsTheTenKernelsInReadmeOrder() {
        List<String> ids = BuiltinKernels.all().stream().map(KernelDefinition::id).toList();

        assertEquals(README_ORDER, ids);
    }

    @Test
    void findAndGetReturnTheKernelsOwnDefinition() {
        assertSame(MatmulKernel.definition(), BuiltinKernels.get("matmul"));
        assertEquals(Optional.of(LayerNormKernel.definition()), BuiltinKernels.find("layer_norm"));
        assertEquals(Optional.empty(), BuiltinKernels.find("conv2d"));
    }

    @Test
    void getOfAnUnknownIdNamesItAndListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BuiltinKernels.get("conv2d"));

        assertTrue(e.getMessage().contains("'conv2d'"), e.getMessage());
        assertTrue(e.getMessage().contains(String.join(", ", README_ORDER)), e.getMessage());
    }

    @Test
    void inputsFollowTheReadme() {
        Map<String, String> inputs = BuiltinKernels.all().stream().collect(Collectors.toMap(KernelDefinition::id,
                kernel -> kernel.signature().inputs().stream().map(BuiltinKernelsTest::describe)
                        .collect(Collectors.joining(" "))));

        assertEquals(Map.of(
                "echo", "x", "square", "x", "add", "a b", "saxpy", "x y", "normalize", "x", "stats", "x",
                "matmul", "a b", "softmax", "x", "layer_norm", "x gamma? beta?", "attention", "q k v"), inputs);
    }

    @Test
    void paramsFollowTheReadme() {
        Map<String, String> params = BuiltinKernels.all().stream().collect(Collectors.toMap(KernelDefinition::id,
                kernel -> kernel.signature().params().stream().map(BuiltinKernelsTest::describe)
                        .collect(Collectors.joining(" "))));

        assertEquals(Map.of(
                "echo", "", "square", "", "add", "", "saxpy", "alpha=1.0",
                "normalize", "eps=1.0E-12 in [1.0E-30, 1.0]", "stats", "ddof=0.0 whole in [0.0, 1.0]", "matmul", "",
                "softmax", "", "layer_norm", "eps=1.0E-5 in [1.0E-30, 1.0]",
                "attention", "scale=0.0 in [0.0, 1000000.0] causal=0.0 whole in [0.0, 1.0]"), params);
    }

    @Test
    void everyKernelIsPureAndHasARingAndALaunchEntryInTheShippedImage() {
        for (KernelDefinition kernel : BuiltinKernels.all()) {
            String id = kernel.id();
            boolean heavy = id.equals("matmul") || id.equals("attention");
            assertEquals(Optional.of(new CudaEntry(KernelImage.MODULE, "rk_" + id + "_ring",
                    Optional.of("rk_" + id + "_launch"), heavy)), kernel.cuda(), id);
            assertTrue(kernel.pure(), id);
            assertEquals(1, kernel.signature().outputs().size(), id);
        }
    }

    @Test
    void echoAcceptsAnyValueSoftmaxAlsoMaskedLogitsAndTheRestFiniteValuesOnly() {
        for (KernelDefinition kernel : BuiltinKernels.all()) {
            InputValues expected = switch (kernel.id()) {
                case "echo" -> InputValues.ANY;
                case "softmax" -> InputValues.FINITE_OR_NEGATIVE_INFINITY;
                default -> InputValues.FINITE;
            };
            assertEquals(expected, kernel.signature().inputValues(), kernel.id());
        }
    }

    private static String describe(TensorSpec input) {
        return input.name() + (input.optional() ? "?" : "");
    }

    private static String describe(ParamSpec param) {
        boolean bounded = param.min() != -Float.MAX_VALUE || param.max() != Float.MAX_VALUE;
        return param.name() + "=" + param.defaultValue() + (param.integral() ? " whole" : "")
                + (bounded ? " in [" + param.min() + ", " + param.max() + "]" : "");
    }
}
