package org.ringkernel.inference;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.TensorSpec;

/**
 * A kernel as a model of the protocol.
 *
 * @param name the model's name: the kernel's id
 * @param versions the model's versions: one, {@value #VERSION}
 * @param platform {@value #PLATFORM}
 * @param inputs the kernel's inputs, in its signature's order
 * @param outputs the kernel's outputs, in its signature's order
 */
public record ModelMetadata(String name, List<String> versions, String platform, List<TensorMetadata> inputs,
                            List<TensorMetadata> outputs) {
    /** Kernels carry float32 only. */
    public static final String FP32 = "FP32";
    /** The one version every model has. */
    public static final String VERSION = "1";
    /** The platform every model names. */
    public static final String PLATFORM = "ringkernel";

    /**
     * The metadata of {@code kernel}. A signature's shape pattern gives the dimensions: {@code [m, k]} is
     * {@code [-1, -1]}, {@code [6]} is {@code [6]}, {@code same as x} is x's, and a pattern whose rank varies
     * ({@code any shape}, {@code [..., n]}) is {@code [-1]}.
     */
    public static ModelMetadata of(KernelDefinition kernel) {
        Map<String, List<Long>> byName = new HashMap<>();
        List<TensorMetadata> inputs = tensors(kernel.signature().inputs(), byName);
        List<TensorMetadata> outputs = tensors(kernel.signature().outputs(), byName);
        return new ModelMetadata(kernel.id(), List.of(VERSION), PLATFORM, inputs, outputs);
    }

    private static List<TensorMetadata> tensors(List<TensorSpec> specs, Map<String, List<Long>> byName) {
        List<TensorMetadata> tensors = new ArrayList<>();
        for (TensorSpec spec : specs) {
            List<Long> shape = dims(spec.shape(), byName);
            byName.put(spec.name(), shape);
            tensors.add(new TensorMetadata(spec.name(), FP32, shape));
        }
        return tensors;
    }

    private static List<Long> dims(String pattern, Map<String, List<Long>> byName) {
        String text = pattern.strip();
        if (text.startsWith("same as ")) {
            return byName.getOrDefault(text.substring("same as ".length()).strip(), List.of(-1L));
        }
        if (!text.startsWith("[") || !text.endsWith("]") || text.contains("...")) {
            return List.of(-1L);
        }
        List<Long> dims = new ArrayList<>();
        for (String dim : text.substring(1, text.length() - 1).split(",")) {
            String d = dim.strip();
            dims.add(d.chars().allMatch(Character::isDigit) && !d.isEmpty() ? Long.parseLong(d) : -1L);
        }
        return dims;
    }

    /** Whether {@code version} names this model's version: empty (any) or {@value #VERSION}. */
    public static boolean hasVersion(String version) {
        return version.isEmpty() || version.equals(VERSION);
    }
}
