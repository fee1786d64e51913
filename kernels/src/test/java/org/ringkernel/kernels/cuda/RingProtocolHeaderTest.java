package org.ringkernel.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.ring.CompletionDescriptor;
import org.ringkernel.bridge.ring.ControlBlockDescriptor;
import org.ringkernel.bridge.ring.RequestDescriptor;
import org.ringkernel.bridge.ring.RingDescriptor;
import org.ringkernel.bridge.runtime.CompletionStatus;
import org.ringkernel.bridge.runtime.KernelCommand;
import org.ringkernel.bridge.runtime.KernelErrorCode;
import org.ringkernel.bridge.runtime.KernelState;

/**
 * The CUDA header {@code ring_protocol.cuh} and the Java layout agree: every public int or long constant of
 * the four descriptors and every code of the four runtime enums has a {@code #define} of the same value,
 * and the header defines nothing else under their prefixes.
 */
class RingProtocolHeaderTest {
    private static final Path HEADER = Path.of("src/main/cuda/include/ringkernel/ring_protocol.cuh");
    private static final Pattern DEFINE = Pattern.compile("^\\s*#\\s*define\\s+(\\w+)\\s+(\\S+)\\s*(//.*)?$");
    private static final Pattern LITERAL = Pattern.compile("(0[xX][0-9a-fA-F]+|[0-9]+)");

    private static final Map<String, Class<?>> DESCRIPTORS = Map.of(
            "RK_CB_", ControlBlockDescriptor.class,
            "RK_RING_", RingDescriptor.class,
            "RK_REQ_", RequestDescriptor.class,
            "RK_CPL_", CompletionDescriptor.class);
    private static final List<String> ENUM_PREFIXES = List.of("RK_STATE_", "RK_COMMAND_", "RK_ERROR_", "RK_STATUS_");

    @Test
    void everyJavaConstantIsDefinedWithTheSameValue() throws IOException {
        Map<String, Long> header = headerDefines();
        List<String> problems = new ArrayList<>();
        javaConstants().forEach((name, constant) -> {
            Long value = header.get(name);
            if (value == null) {
                problems.add(name + " is missing; " + constant.source() + " = " + constant.value());
            } else if (value != constant.value()) {
                problems.add(name + " differs: " + constant.source() + " = " + constant.value() + ", header = " + value);
            }
        });
        assertTrue(problems.isEmpty(), () -> HEADER + " disagrees with the Java layout:\n" + String.join("\n", problems));
    }

    @Test
    void everyDefineUnderTheLayoutPrefixesHasAJavaConstant() throws IOException {
        Map<String, JavaConstant> java = javaConstants();
        List<String> extra = new ArrayList<>();
        headerDefines().forEach((name, value) -> {
            if (!java.containsKey(name)) {
                extra.add(name + " = " + value + " has no Java constant");
            }
        });
        assertTrue(extra.isEmpty(), () -> HEADER + " defines more than the Java layout:\n" + String.join("\n", extra));
    }

    @Test
    void headerDefinesEachLayoutConstantOnce() throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(HEADER)) {
            Matcher define = DEFINE.matcher(line);
            if (define.matches() && isLayoutName(define.group(1))) {
                names.add(define.group(1));
            }
        }
        List<String> repeated = names.stream().filter(name -> names.indexOf(name) != names.lastIndexOf(name))
                .distinct().toList();
        assertTrue(repeated.isEmpty(), () -> HEADER + " defines these more than once: " + repeated);
    }

    /** A Java constant and where it comes from, for messages. */
    private record JavaConstant(String source, long value) {
    }

    private static Map<String, JavaConstant> javaConstants() {
        Map<String, JavaConstant> constants = new TreeMap<>();
        DESCRIPTORS.forEach((prefix, type) -> addFields(constants, prefix, type));
        addCodes(constants, "RK_STATE_", KernelState.class, KernelState::code);
        addCodes(constants, "RK_COMMAND_", KernelCommand.class, KernelCommand::code);
        addCodes(constants, "RK_ERROR_", KernelErrorCode.class, KernelErrorCode::code);
        addCodes(constants, "RK_STATUS_", CompletionStatus.class, CompletionStatus::code);
        return constants;
    }

    private static void addFields(Map<String, JavaConstant> constants, String prefix, Class<?> type) {
        for (Field field : type.getFields()) {
            int modifiers = field.getModifiers();
            boolean constant = Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers)
                    && (field.getType() == int.class || field.getType() == long.class);
            if (constant) {
                try {
                    constants.put(prefix + field.getName(),
                            new JavaConstant(type.getSimpleName() + "." + field.getName(), field.getLong(null)));
                } catch (IllegalAccessException e) {
                    throw new AssertionError("cannot read public field " + type.getSimpleName() + "." + field.getName(), e);
                }
            }
        }
    }

    private static <E extends Enum<E>> void addCodes(Map<String, JavaConstant> constants, String prefix, Class<E> type,
                                                     ToIntFunction<E> code) {
        for (E value : type.getEnumConstants()) {
            constants.put(prefix + value.name(),
                    new JavaConstant(type.getSimpleName() + "." + value.name() + ".code()", code.applyAsInt(value)));
        }
    }

    private static boolean isLayoutName(String name) {
        return DESCRIPTORS.keySet().stream().anyMatch(name::startsWith) || ENUM_PREFIXES.stream().anyMatch(name::startsWith);
    }

    /** The header's defines under the layout prefixes, by name; a value that is not a plain literal fails. */
    private static Map<String, Long> headerDefines() throws IOException {
        Map<String, Long> defines = new TreeMap<>();
        List<String> lines = Files.readAllLines(HEADER);
        for (int i = 0; i < lines.size(); i++) {
            Matcher define = DEFINE.matcher(lines.get(i));
            if (!define.matches() || !isLayoutName(define.group(1))) {
                continue;
            }
            String literal = define.group(2);
            if (!LITERAL.matcher(literal).matches()) {
                throw new AssertionError(HEADER + ":" + (i + 1) + ": " + define.group(1) + " = '" + literal
                        + "' is not a decimal or hexadecimal literal");
            }
            long value = literal.startsWith("0x") || literal.startsWith("0X")
                    ? Long.parseLong(literal.substring(2), 16) : Long.parseLong(literal);
            defines.put(define.group(1), value);
        }
        return defines;
    }
}
