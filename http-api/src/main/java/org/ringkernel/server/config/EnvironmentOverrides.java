package org.ringkernel.server.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The configuration that {@code RINGKERNEL_*} environment variables set. {@code RINGKERNEL_A__B_C} sets
 * {@code ringkernel.a.b-c}: {@code __} separates path segments, and within a segment letters are lower-cased and
 * {@code _} becomes {@code -}. Four shorthands name keys the generic rule cannot reach. Values stay strings
 * (Typesafe Config converts them when a key is read), except that a key whose default is a list takes a
 * comma-separated value.
 */
final class EnvironmentOverrides {
    static final String PREFIX = "RINGKERNEL_";

    private static final Map<String, String> SHORTHANDS = Map.of(
            "RINGKERNEL_BACKEND", "ringkernel.backend",
            "RINGKERNEL_HTTP_PORT", "ringkernel.http.port",
            "RINGKERNEL_LOG_FORMAT", "ringkernel.logging.format",
            "RINGKERNEL_LOG_LEVEL", "ringkernel.logging.level");

    private EnvironmentOverrides() {
    }

    /**
     * @throws ConfigLoadException naming the variable and the path it maps to, where that is no configuration key
     */
    static Config from(Map<String, String> env, KnownKeys known) {
        Config config = ConfigFactory.empty("environment variables");
        for (Map.Entry<String, String> variable : new TreeMap<>(env).entrySet()) {
            String name = variable.getKey();
            if (!name.startsWith(PREFIX)) {
                continue;
            }
            String path = path(name);
            if (!known.contains(path)) {
                throw new ConfigLoadException("environment variable " + name + " maps to " + path
                        + ", which is not a configuration key (RINGKERNEL_A__B_C sets ringkernel.a.b-c)");
            }
            Object value = known.isList(path) ? list(variable.getValue()) : variable.getValue();
            config = config.withValue(path, ConfigValueFactory.fromAnyRef(value, "environment variable " + name));
        }
        return config;
    }

    /** The configuration path {@code variable} sets, e.g. {@code ringkernel.memory.pool-size}. */
    static String path(String variable) {
        String shorthand = SHORTHANDS.get(variable);
        if (shorthand != null) {
            return shorthand;
        }
        List<String> segments = new ArrayList<>(List.of(KnownKeys.ROOT));
        for (String segment : variable.substring(PREFIX.length()).split("__", -1)) {
            if (segment.isEmpty()) {
                throw new ConfigLoadException("environment variable " + variable
                        + ": expected path segments separated by a double underscore, as in RINGKERNEL_MEMORY__POOL_SIZE");
            }
            segments.add(segment.toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        return ConfigUtil.joinPath(segments);
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(item -> !item.isEmpty()).toList();
    }
}
