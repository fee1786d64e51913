package org.ringkernel.bridge.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything a backend needs to run a kernel: its id, signature, CPU implementation and, when it has one,
 * its CUDA entry points.
 *
 * <p>Build one with {@link #elementwise(String)} or {@link #builder(String)} rather than this record's
 * constructor:
 *
 * <pre>{@code
 * KernelDefinition affine = KernelDefinition.elementwise("affine")
 *         .describedAs("y = 2x + 1")
 *         .cpu(call -> {
 *             FloatBuffer x = call.input(0);
 *             FloatBuffer y = call.output(0);
 *             for (int i = 0; i < x.limit(); i++) {
 *                 y.put(i, 2 * x.get(i) + 1);
 *             }
 *         })
 *         .build();
 * }</pre>
 *
 * @param id the kernel's id, lower case letters, digits and underscores, e.g. {@code layer_norm}
 * @param description one line on what it computes
 * @param signature inputs, outputs, params and shape rule
 * @param cpu the CPU implementation
 * @param cuda the CUDA entry points, empty for CPU-only kernels
 * @param pure whether the kernel's result depends only on its inputs, so a failed request may be retried
 */
public record KernelDefinition(String id, String description, KernelSignature signature, CpuKernel cpu,
                               Optional<CudaEntry> cuda, boolean pure) {
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    /**
     * Checks the id and that nothing is missing.
     *
     * @param id the kernel's id
     * @param description one line on what it computes
     * @param signature inputs, outputs, params and shape rule
     * @param cpu the CPU implementation
     * @param cuda the CUDA entry points, empty for CPU-only kernels
     * @param pure whether a failed request may be retried
     * @throws IllegalArgumentException when the id is not a valid kernel id
     * @throws NullPointerException when a component is null
     */
    public KernelDefinition {
        checkId(id);
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(cuda, "cuda");
    }

    private static String checkId(String id) {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("kernel id '" + id
                    + "' must start with a lower-case letter and hold only a-z, 0-9 and _ (at most 63 characters)");
        }
        return id;
    }

    /**
     * A builder for a kernel of any signature: declare its inputs, outputs, params and shape rule, then its
     * implementations.
     *
     * @param id the kernel's id, lower case letters, digits and underscores
     * @return a builder with nothing declared yet
     * @throws IllegalArgumentException when {@code id} is not a valid kernel id
     */
    public static Builder builder(String id) {
        return new Builder(checkId(id), false);
    }

    /**
     * A builder for an element-wise kernel: every input has the shape of the first and the one output has it
     * too ({@link ShapeRule#elementwise()}). Without inputs declared it takes one, {@code x}; without outputs
     * declared it gives one, {@code y}.
     *
     * @param id the kernel's id, lower case letters, digits and underscores
     * @return a builder with the element-wise shape rule
     * @throws IllegalArgumentException when {@code id} is not a valid kernel id
     */
    public static Builder elementwise(String id) {
        return new Builder(checkId(id), true).shapes(ShapeRule.elementwise());
    }

    /**
     * Checks a request against the signature; see {@link KernelSignature#bind}.
     *
     * @param request the request to check
     * @return the request with its params resolved and its output shapes
     * @throws InvalidKernelInputException naming the kernel and what is wrong
     */
    public BoundRequest bind(KernelRequest request) {
        return signature.bind(id, request);
    }

    /**
     * Checks a request as {@link #bind} does, but leaves the check of its input values to the copy of the inputs
     * into the arena ({@code HostChannel.stage}), which throws the same {@link InvalidKernelInputException}: for
     * callers that stage the request next, it saves one pass over the inputs.
     *
     * @param request the request to check
     * @return the request with its params resolved, its output shapes and its input check
     * @throws InvalidKernelInputException naming the kernel and what is wrong, input values aside
     */
    public BoundRequest bindForStaging(KernelRequest request) {
        return signature.bindForStaging(id, request);
    }

    /**
     * What {@code request}, bound by this kernel, is estimated to cost; see {@link KernelSignature#cost()}.
     *
     * @param request a request this kernel bound
     * @return its estimated work and bytes
     */
    public RequestCost cost(BoundRequest request) {
        return signature.cost().estimate(request);
    }

    /**
     * Declares a kernel step by step; {@link #build()} checks that nothing is missing and that the parts fit,
     * and names what is wrong. Unless told otherwise a kernel accepts finite input values only
     * ({@link InputValues#FINITE}), costs in proportion to its bytes ({@link CostModel#proportionalToBytes()}), is
     * pure (so a request in flight when its instance fails may be run again, where
     * {@code ringkernel.supervision.retry-in-flight} allows) and has no CUDA code (it runs on CPU threads,
     * on every backend).
     */
    public static final class Builder {
        private final String id;
        private final boolean elementwise;
        private final List<TensorSpec> inputs = new ArrayList<>();
        private final List<TensorSpec> outputs = new ArrayList<>();
        private final List<ParamSpec> params = new ArrayList<>();
        private String description;
        private ShapeRule shapeRule;
        private InputValues inputValues = InputValues.FINITE;
        private CostModel cost = CostModel.proportionalToBytes();
        private CpuKernel cpu;
        private CudaEntry cuda;
        private boolean pure = true;
        private boolean rowwise;

        private Builder(String id, boolean elementwise) {
            this.id = id;
            this.elementwise = elementwise;
        }

        /**
         * What the kernel computes, in one line, as listings show it.
         *
         * @param description e.g. {@code "y = 2x + 1, element-wise"}
         * @return this builder
         */
        public Builder describedAs(String description) {
            this.description = Objects.requireNonNull(description, "description");
            return this;
        }

        /**
         * Adds a required input, after those declared before.
         *
         * @param name the input's name, unique among the inputs
         * @param shape its shape in words, for listings, e.g. {@code "[m, k]"} or {@code "same as x"}
         * @return this builder
         * @throws IllegalArgumentException when an input of that name exists, or an optional input precedes it
         */
        public Builder input(String name, String shape) {
            if (!inputs.isEmpty() && inputs.get(inputs.size() - 1).optional()) {
                throw new IllegalArgumentException(prefix() + "required input '" + name + "' follows optional input '"
                        + inputs.get(inputs.size() - 1).name() + "'; only trailing inputs may be optional");
            }
            inputs.add(TensorSpec.required(checkName("input", names(inputs), name), shape));
            return this;
        }

        /**
         * Adds an optional input, after those declared before; only trailing inputs may be optional. A request
         * may leave it out, and the CPU implementation sees fewer inputs ({@link KernelCall#inputCount()}).
         *
         * @param name the input's name, unique among the inputs
         * @param shape its shape in words, for listings
         * @return this builder
         * @throws IllegalArgumentException when an input of that name exists
         */
        public Builder optionalInput(String name, String shape) {
            inputs.add(TensorSpec.optional(checkName("input", names(inputs), name), shape));
            return this;
        }

        /**
         * Adds an output, after those declared before; the shape rule ({@link #shapes}) gives its shape.
         *
         * @param name the output's name, unique among the outputs
         * @param shape its shape in words, for listings, e.g. {@code "same as x"}
         * @return this builder
         * @throws IllegalArgumentException when an output of that name exists
         */
        public Builder output(String name, String shape) {
            outputs.add(TensorSpec.required(checkName("output", names(outputs), name), shape));
            return this;
        }

        /**
         * Adds a param that takes any finite float32 value.
         *
         * @param name the param's name, unique among the params
         * @param defaultValue its value when a request leaves it out
         * @param description what it does
         * @return this builder
         * @throws IllegalArgumentException when a param of that name exists or the default is not finite
         */
        public Builder param(String name, double defaultValue, String description) {
            return param(ParamSpec.anyFinite(name, defaultValue, description));
        }

        /**
         * Adds a param that takes values in {@code [min, max]}.
         *
         * @param name the param's name, unique among the params
         * @param defaultValue its value when a request leaves it out, within the range
         * @param min the smallest accepted value
         * @param max the largest accepted value
         * @param description what it does
         * @return this builder
         * @throws IllegalArgumentException when a param of that name exists or the default is out of range
         */
        public Builder param(String name, double defaultValue, double min, double max, String description) {
            return param(ParamSpec.range(name, defaultValue, min, max, description));
        }

        /**
         * Adds a param, in the order the CPU implementation reads it ({@link KernelCall#param(int)}).
         *
         * @param param the param
         * @return this builder
         * @throws IllegalArgumentException when a param of that name exists or its default is not accepted by it
         */
        public Builder param(ParamSpec param) {
            checkName("param", params.stream().map(ParamSpec::name).toList(), param.name());
            if (!param.accepts(param.defaultValue())) {
                throw new IllegalArgumentException(prefix() + "param '" + param.name() + "' has the default "
                        + param.defaultValue() + ", but it takes " + param.expectation());
            }
            params.add(param);
            return this;
        }

        /**
         * The shape rule: checks a request's input shapes and gives one shape per output.
         *
         * @param rule the rule, e.g. {@link ShapeRule#elementwise()} or a method reference
         * @return this builder
         */
        public Builder shapes(ShapeRule rule) {
            this.shapeRule = Objects.requireNonNull(rule, "rule");
            return this;
        }

        /**
         * Which values the inputs may hold; requests with others are rejected before they reach the kernel.
         *
         * @param values the accepted values; {@link InputValues#FINITE} unless set
         * @return this builder
         */
        public Builder accepting(InputValues values) {
            this.inputValues = Objects.requireNonNull(values, "values");
            return this;
        }

        /**
         * How a request's cost is estimated from its shapes, to choose between the ring and the launch path.
         *
         * @param model the cost model; {@link CostModel#proportionalToBytes()} unless set
         * @return this builder
         */
        public Builder cost(CostModel model) {
            this.cost = Objects.requireNonNull(model, "model");
            return this;
        }

        /**
         * The CPU implementation, which every kernel needs: the CPU backend runs it, and so does the CUDA backend
         * for a kernel without CUDA code. It must write every element of every output; one it leaves unwritten
         * fails the request (see {@code ringkernel.kernel.output-check}).
         *
         * @param implementation computes one request, or a batch ({@link CpuKernel#executeBatch})
         * @return this builder
         */
        public Builder cpu(CpuKernel implementation) {
            this.cpu = Objects.requireNonNull(implementation, "implementation");
            return this;
        }

        /**
         * CUDA C source for the CUDA backend, compiled with NVRTC when the backend opens. The entry is a persistent
         * ring kernel following the ring protocol (see the built-in kernels' sources); the CPU backend ignores it.
         *
         * @param source the CUDA C source
         * @param entry the {@code extern "C"} name of its persistent ring kernel
         * @return this builder
         */
        public Builder cuda(String source, String entry) {
            return cuda(CudaEntry.fromSource(id + ".cu", source, entry));
        }

        /**
         * Where the kernel's CUDA code is, for compiled images and kernels with a launch entry.
         *
         * @param entry the module and entry points
         * @return this builder
         */
        public Builder cuda(CudaEntry entry) {
            this.cuda = Objects.requireNonNull(entry, "entry");
            return this;
        }

        /**
         * Marks the kernel impure: its result depends on more than its inputs, so a request in flight when its
         * instance fails is failed, never run again.
         *
         * @return this builder
         */
        public Builder impure() {
            this.pure = false;
            return this;
        }

        /**
         * Declares that the kernel works row by row ({@link KernelSignature#rowwise()}): every input and output of a
         * request has the same first dimension, and each output row depends only on the same row of the inputs and
         * on the params. Streams may then run several small requests as one. Declare it only when it holds: a
         * kernel that mixes rows (a reduction, a norm over a whole rank-1 tensor) would give stacked requests
         * wrong answers.
         *
         * @return this builder
         */
        public Builder rowwise() {
            this.rowwise = true;
            return this;
        }

        /**
         * The definition, ready for {@code RingKernels.register} or a backend.
         *
         * @return the kernel's definition
         * @throws IllegalStateException naming what is missing: the description, the CPU implementation, inputs,
         *     outputs or the shape rule
         * @throws IllegalArgumentException when the parts do not fit (too many inputs, outputs or params)
         */
        public KernelDefinition build() {
            List<TensorSpec> in = new ArrayList<>(inputs);
            List<TensorSpec> out = new ArrayList<>(outputs);
            if (elementwise && in.isEmpty()) {
                in.add(TensorSpec.required("x", "any shape"));
            }
            if (elementwise && out.isEmpty()) {
                out.add(TensorSpec.required("y", "same as " + in.get(0).name()));
            }
            require(description != null, "no description: call describedAs(\"what it computes\")");
            require(!in.isEmpty(), "no inputs: declare at least one with input(name, shape)");
            require(!out.isEmpty(), "no outputs: declare at least one with output(name, shape)");
            require(shapeRule != null, "no shape rule: call shapes(rule), or start from KernelDefinition.elementwise(id)");
            require(cpu != null, "no CPU implementation: call cpu(call -> ...); every kernel needs one, since the CPU"
                    + " backend runs it");
            KernelSignature signature;
            try {
                signature = new KernelSignature(in, out, params, inputValues, shapeRule, cost, rowwise);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(prefix() + e.getMessage(), e);
            }
            return new KernelDefinition(id, description, signature, cpu, Optional.ofNullable(cuda), pure);
        }

        private String prefix() {
            return "kernel '" + id + "': ";
        }

        private void require(boolean present, String missing) {
            if (!present) {
                throw new IllegalStateException(prefix() + missing);
            }
        }

        private String checkName(String kind, List<String> declared, String name) {
            Objects.requireNonNull(name, kind + " name");
            if (declared.contains(name)) {
                throw new IllegalArgumentException(prefix() + "a second " + kind + " named '" + name + "'; the "
                        + kind + "s are " + String.join(", ", declared) + " and their names must differ");
            }
            return name;
        }

        private static List<String> names(List<TensorSpec> specs) {
            return specs.stream().map(TensorSpec::name).toList();
        }
    }
}
