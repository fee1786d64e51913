package org.ringkernel.bridge.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The builder declares what the record constructor does, and names what is missing or wrong. */
class KernelDefinitionBuilderTest {
    private static final CpuKernel NOTHING = call -> { };

    @Test
    void anElementwiseKernelTakesXAndGivesYByDefault() {
        KernelDefinition affine = KernelDefinition.elementwise("affine").describedAs("y = 2x + 1").cpu(NOTHING).build();

        assertEquals("affine", affine.id());
        assertEquals("y = 2x + 1", affine.description());
        assertEquals(List.of(TensorSpec.required("x", "any shape")), affine.signature().inputs());
        assertEquals(List.of(TensorSpec.required("y", "same as x")), affine.signature().outputs());
        assertEquals(InputValues.FINITE, affine.signature().inputValues());
        assertEquals(Optional.empty(), affine.cuda());
        assertTrue(affine.pure());
        BoundRequest bound = affine.bind(KernelRequest.of(Tensor.of(new int[] {2, 3}, new float[6])));
        assertEquals(List.of(2, 3), List.of(bound.outputShapes()[0][0], bound.outputShapes()[0][1]));
    }

    @Test
    void theGeneralFormDeclaresWhatTheRecordDoes() {
        ShapeRule rule = check -> new int[][] {check.shape(0)};
        CostModel cost = CostModel.proportionalToBytes();
        KernelDefinition built = KernelDefinition.builder("norm")
                .describedAs("normalizes rows")
                .input("x", "[..., n]")
                .optionalInput("gamma", "[n]")
                .output("y", "same as x")
                .param("eps", 1e-5, 1e-30, 1, "added to the variance")
                .param(ParamSpec.integral("mode", 0, 0, 2, "which norm"))
                .shapes(rule)
                .accepting(InputValues.ANY)
                .cost(cost)
                .cpu(NOTHING)
                .cuda("extern \"C\" __global__ void norm_ring() {}", "norm_ring")
                .impure()
                .build();

        KernelSignature signature = new KernelSignature(
                List.of(TensorSpec.required("x", "[..., n]"), TensorSpec.optional("gamma", "[n]")),
                List.of(TensorSpec.required("y", "same as x")),
                List.of(ParamSpec.range("eps", 1e-5, 1e-30, 1, "added to the variance"),
                        ParamSpec.integral("mode", 0, 0, 2, "which norm")),
                InputValues.ANY, rule, cost);
        assertEquals(new KernelDefinition("norm", "normalizes rows", signature, NOTHING,
                Optional.of(CudaEntry.fromSource("norm.cu", "extern \"C\" __global__ void norm_ring() {}", "norm_ring")),
                false), built);
    }

    @Test
    void paramsResolveInTheOrderDeclared() {
        KernelDefinition saxpy = KernelDefinition.elementwise("saxpy").describedAs("alpha x + y")
                .input("x", "any shape").input("y", "same as x").output("out", "same as x")
                .param("alpha", 1.0, "the factor of x").param("beta", 0.5, 0, 1, "unused").cpu(NOTHING).build();

        BoundRequest bound = saxpy.bind(new KernelRequest(List.of(Tensor.of(1f), Tensor.of(2f)),
                Map.of("beta", 0.25)));
        assertEquals(1.0f, bound.params()[0]);
        assertEquals(0.25f, bound.params()[1]);
        assertEquals("same as x", saxpy.signature().outputs().get(0).shape());
    }

    @Test
    void aKernelWithoutACpuImplementationIsRefusedSayingSo() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KernelDefinition.elementwise("affine").describedAs("y = 2x + 1").build());
        assertEquals("kernel 'affine': no CPU implementation: call cpu(call -> ...); every kernel needs one, since the"
                + " CPU backend runs it", e.getMessage());
    }

    @Test
    void eachMissingPartIsNamed() {
        assertMessage(IllegalStateException.class, "kernel 'k': no description",
                () -> KernelDefinition.elementwise("k").cpu(NOTHING).build());
        assertMessage(IllegalStateException.class, "kernel 'k': no inputs",
                () -> KernelDefinition.builder("k").describedAs("d").output("y", "[1]").cpu(NOTHING).build());
        assertMessage(IllegalStateException.class, "kernel 'k': no outputs",
                () -> KernelDefinition.builder("k").describedAs("d").input("x", "[1]").cpu(NOTHING).build());
        assertMessage(IllegalStateException.class, "kernel 'k': no shape rule",
                () -> KernelDefinition.builder("k").describedAs("d").input("x", "[1]").output("y", "[1]")
                        .cpu(NOTHING).build());
    }

    @Test
    void aSecondInputOutputOrParamOfOneNameIsRefused() {
        assertMessage(IllegalArgumentException.class,
                "kernel 'k': a second input named 'x'; the inputs are x, y and their names must differ",
                () -> KernelDefinition.builder("k").input("x", "any").input("y", "any").input("x", "any"));
        assertMessage(IllegalArgumentException.class, "kernel 'k': a second output named 'y'",
                () -> KernelDefinition.builder("k").output("y", "any").output("y", "any"));
        assertMessage(IllegalArgumentException.class, "kernel 'k': a second param named 'a'",
                () -> KernelDefinition.builder("k").param("a", 1, "one").param("a", 2, "two"));
    }

    @Test
    void partsThatDoNotFitAreRefusedNamingTheKernel() {
        assertMessage(IllegalArgumentException.class,
                "kernel 'k': required input 'b' follows optional input 'a'; only trailing inputs may be optional",
                () -> KernelDefinition.builder("k").optionalInput("a", "any").input("b", "any"));
        assertMessage(IllegalArgumentException.class,
                "kernel 'k': param 'p' has the default 2.0, but it takes a finite value in [0, 1]",
                () -> KernelDefinition.builder("k").param("p", 2, 0, 1, "a fraction"));
        assertMessage(IllegalArgumentException.class, "kernel id 'Affine' must start with a lower-case letter",
                () -> KernelDefinition.elementwise("Affine"));
        KernelDefinition.Builder many = KernelDefinition.elementwise("k").describedAs("d").cpu(NOTHING);
        for (int i = 0; i < 20; i++) {
            many.input("x" + i, "any");
        }
        assertMessage(IllegalArgumentException.class, "kernel 'k': a kernel takes 1 to", many::build);
    }

    private static void assertMessage(Class<? extends RuntimeException> type, String start, Runnable action) {
        RuntimeException e = assertThrows(type, action::run);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }
}
