package org.ringkernel.kernels.reference;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The requests every way of running the built-in kernels must get right: odd sizes, dimensions of 1,
 * every rank, non-default params, and sizes large enough for the CPU implementations to split work.
 * The kernel contract tests and the self-check program both run them.
 */
public final class ReferenceCases {
    /** Element-wise float32 results are correctly rounded, or nearly so. */
    public static final double ELEMENTWISE = 1e-5;
    /** Reductions round once more per accumulated term on some backends. */
    public static final double REDUCTION = 1e-4;

    private static final List<int[]> SHAPES = List.of(
            new int[] {1}, new int[] {7}, new int[] {33}, new int[] {3, 5}, new int[] {1, 1},
            new int[] {2, 3, 4}, new int[] {2, 1, 3, 5});
    /** Large enough for the CPU implementations of the element-wise kernels to split their elements. */
    private static final int[] SPLIT_SHAPE = {2, 1_048_577};

    private ReferenceCases() {
    }

    /** Every case, kernel by kernel in catalogue order. */
    public static List<ReferenceCase> all() {
        return Stream.of(
                sameShape("echo", Map.of(), 0),
                sameShape("square", Map.of(), ELEMENTWISE),
                pairs("add", Map.of()),
                pairs("saxpy", Map.of()),
                pairs("saxpy", Map.of("alpha", -2.5)),
                pairs("saxpy", Map.of("alpha", 0.0)),
                split(),
                sameShape("normalize", Map.of(), ELEMENTWISE),
                sameShape("normalize", Map.of("eps", 0.75), ELEMENTWISE),
                stats(),
                matmul(),
                sameShape("softmax", Map.of(), ELEMENTWISE),
                maskedSoftmax(),
                layerNorm(),
                attention()).flatMap(s -> s).toList();
    }

    /** A single-input kernel whose output has the input's shape, over every test shape. */
    private static Stream<ReferenceCase> sameShape(String kernelId, Map<String, Double> params, double tolerance) {
        return SHAPES.stream().map(shape -> new ReferenceCase(kernelId, List.of(shape), params, shape, tolerance));
    }

    /** A two-input element-wise kernel, over every test shape. */
    private static Stream<ReferenceCase> pairs(String kernelId, Map<String, Double> params) {
        return SHAPES.stream().map(shape -> new ReferenceCase(kernelId, List.of(shape, shape), params, shape, ELEMENTWISE));
    }

    /** The element-wise kernels that split their elements, on an input large enough for them to. */
    private static Stream<ReferenceCase> split() {
        List<int[]> one = List.<int[]>of(SPLIT_SHAPE);
        List<int[]> two = List.of(SPLIT_SHAPE, SPLIT_SHAPE);
        return Stream.of(new ReferenceCase("square", one, Map.of(), SPLIT_SHAPE, ELEMENTWISE),
                new ReferenceCase("add", two, Map.of(), SPLIT_SHAPE, ELEMENTWISE),
                new ReferenceCase("saxpy", two, Map.of("alpha", -2.5), SPLIT_SHAPE, ELEMENTWISE));
    }

    private static Stream<ReferenceCase> stats() {
        // The last input is large enough to be split across threads.
        Stream<int[]> shapes = Stream.concat(SHAPES.stream(), Stream.of(new int[] {2, 1024, 1100}));
        return shapes.flatMap(shape -> Stream.of(Map.<String, Double>of(), Map.of("ddof", 1.0))
                .map(params -> new ReferenceCase("stats", List.of(shape), params, new int[] {6}, REDUCTION)));
    }

    /** Logits masked with -inf, in unmasked, partly masked and fully masked rows. */
    private static Stream<ReferenceCase> maskedSoftmax() {
        return Stream.of(new int[] {7}, new int[] {33}, new int[] {2, 1}, new int[] {3, 5}, new int[] {2, 3, 4},
                new int[] {2, 1, 3, 5}).map(shape -> new ReferenceCase("softmax", List.of(shape), Map.of(), shape,
                ELEMENTWISE, true));
    }

    private static Stream<ReferenceCase> matmul() {
        // The last product is large enough to be split across threads.
        int[][] mkn = {{1, 1, 1}, {3, 5, 7}, {17, 9, 1}, {1, 33, 2}, {7, 1, 7}, {128, 128, 128}};
        return Arrays.stream(mkn).map(d -> new ReferenceCase("matmul",
                List.of(new int[] {d[0], d[1]}, new int[] {d[1], d[2]}), Map.of(), new int[] {d[0], d[2]}, REDUCTION));
    }

    private static Stream<ReferenceCase> layerNorm() {
        return Stream.of(
                SHAPES.stream().map(shape -> new ReferenceCase("layer_norm", List.of(shape), Map.of(), shape, ELEMENTWISE)),
                SHAPES.stream().map(shape -> new ReferenceCase("layer_norm", List.of(shape, lastAxis(shape)),
                        Map.of("eps", 0.25), shape, ELEMENTWISE)),
                SHAPES.stream().map(shape -> new ReferenceCase("layer_norm",
                        List.of(shape, lastAxis(shape), lastAxis(shape)), Map.of(), shape, ELEMENTWISE)))
                .flatMap(s -> s);
    }

    private static Stream<ReferenceCase> attention() {
        // s, t, d, e from {1, 3, 8, 13}, each size in each role; the last is large enough to be split.
        int[][] stde = {{1, 1, 1, 1}, {3, 8, 13, 1}, {8, 13, 1, 3}, {13, 1, 3, 8}, {1, 3, 8, 13}, {13, 13, 8, 3},
                {8, 3, 13, 13}, {128, 128, 64, 64}};
        List<Map<String, Double>> params = List.of(Map.of(), Map.of("causal", 1.0),
                Map.of("scale", 0.5, "causal", 1.0), Map.of("scale", 2.0));
        return Arrays.stream(stde).flatMap(d -> params.stream().map(p -> new ReferenceCase("attention",
                List.of(new int[] {d[0], d[2]}, new int[] {d[1], d[2]}, new int[] {d[1], d[3]}), p,
                new int[] {d[0], d[3]}, REDUCTION)));
    }

    private static int[] lastAxis(int[] shape) {
        return new int[] {shape[shape.length - 1]};
    }
}
