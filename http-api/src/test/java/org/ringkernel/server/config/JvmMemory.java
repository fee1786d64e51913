package org.ringkernel.server.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.ringkernel.bridge.ring.KernelMemoryLayout;
import org.ringkernel.bridge.ring.RingDescriptor;

/** JVM memory options as the launcher and the manifest give them, and the direct memory the kernels need. */
final class JvmMemory {
    private JvmMemory() {
    }

    /** The value of the last option that starts with {@code prefix} (the JVM honours the last), in bytes. */
    static Optional<Long> option(List<String> options, String prefix) {
        Optional<Long> value = Optional.empty();
        for (String option : options) {
            if (option.startsWith(prefix)) {
                value = Optional.of(bytes(option.substring(prefix.length())));
            }
        }
        return value;
    }

    /** A size as the JVM reads it: a number with an optional k, m or g (either case). */
    static long bytes(String size) {
        String lower = size.toLowerCase(Locale.ROOT);
        char unit = lower.charAt(lower.length() - 1);
        int shift = switch (unit) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        String digits = shift == 0 ? lower : lower.substring(0, lower.length() - 1);
        return Long.parseLong(digits) << shift;
    }

    /**
     * Direct memory the default configuration's kernels take: one block (control block, rings, arena) per
     * instance of every started kernel, each rounded up to whole cache lines plus one line of alignment slack.
     */
    static long kernelsDirectMemory() {
        Config config = ConfigFactory.defaultReference().getConfig("ringkernel");
        KernelMemoryLayout layout = KernelMemoryLayout.of(config.getInt("queue-capacity"),
                Math.toIntExact(config.getBytes("kernel.arena-size")));
        long perInstance = layout.totalLength() + 2L * RingDescriptor.LINE_LENGTH;
        return config.getStringList("kernels.start").size() * config.getLong("kernels.instances") * perInstance;
    }
}
