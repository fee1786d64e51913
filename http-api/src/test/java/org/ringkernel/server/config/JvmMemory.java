package org.ringkernel.server.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.ringkernel.actors.RingKernelSettings;
import org.ringkernel.actors.cluster.ClusterSettings;

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
     * Direct memory the default configuration's kernels take, as start-up checks it: on a server of its own, or on
     * a cluster's gpu node (every entity of the started kernels), whichever is more.
     */
    static long kernelsDirectMemory() {
        Config defaults = ConfigFactory.defaultReference();
        RingKernelSettings kernels = RingKernelSettings.fromConfig(defaults, Map.of());
        ClusterSettings alone = ClusterSettings.fromConfig(defaults);
        ClusterSettings gpuNode = ClusterSettings.fromConfig(ConfigFactory.parseString(
                "ringkernel.cluster { enabled = on, roles = [gpu] }").withFallback(defaults));
        return Math.max(DirectMemoryCheck.needed(kernels, alone), DirectMemoryCheck.needed(kernels, gpuNode));
    }
}
