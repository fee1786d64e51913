package org.ringkernel.server.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A TOML configuration file, read as the Rust guide writes it. The guide's keys map explicitly (its
 * {@code [kernel] timeout_ms} becomes {@code ringkernel.request-timeout}); every other key maps table by table,
 * snake_case to kebab-case, under {@code ringkernel}, so {@code [batching] max_delay} sets
 * {@code ringkernel.batching.max-delay}.
 */
final class TomlConfig {
    private static final String TIMEOUT_MS = "kernel.timeout_ms";
    private static final Map<String, String> GUIDE_KEYS = Map.ofEntries(
            Map.entry("backend", "ringkernel.backend"),
            Map.entry("device_id", "ringkernel.device-id"),
            Map.entry("queue_capacity", "ringkernel.queue-capacity"),
            Map.entry("telemetry_enabled", "ringkernel.telemetry.enabled"),
            Map.entry("kernel.default_block_size", "ringkernel.kernel.block-size"),
            Map.entry("kernel.max_kernels", "ringkernel.kernels.max"),
            Map.entry(TIMEOUT_MS, "ringkernel.request-timeout"),
            Map.entry("memory.pool_size", "ringkernel.memory.pool-size"),
            Map.entry("memory.enable_pooling", "ringkernel.memory.enable-pooling"),
            Map.entry("logging.level", "ringkernel.logging.level"),
            Map.entry("logging.format", "ringkernel.logging.format"));

    private final Path file;
    private final KnownKeys known;
    private Config config = ConfigFactory.empty();

    private TomlConfig(Path file, KnownKeys known) {
        this.file = file;
        this.known = known;
    }

    /**
     * @throws ConfigLoadException for malformed TOML (with its line) or a key that maps to no configuration key,
     *         naming the file
     */
    static Config read(Path file, KnownKeys known) {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(file.toFile());
        } catch (JacksonException e) {
            JsonLocation location = e.getLocation();
            String line = location != null && location.getLineNr() > 0 ? " at line " + location.getLineNr() : "";
            throw new ConfigLoadException(file + ": malformed TOML" + line + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigLoadException("cannot read " + file + ": " + e.getMessage(), e);
        }
        TomlConfig toml = new TomlConfig(file, known);
        toml.table(root, new ArrayList<>());
        return toml.config;
    }

    private void table(JsonNode table, List<String> keys) {
        for (Map.Entry<String, JsonNode> field : table.properties()) {
            keys.add(field.getKey());
            if (field.getValue().isObject()) {
                table(field.getValue(), keys);
            } else {
                key(String.join(".", keys), keys, field.getValue());
            }
            keys.remove(keys.size() - 1);
        }
    }

    private void key(String tomlKey, List<String> keys, JsonNode node) {
        String path = GUIDE_KEYS.getOrDefault(tomlKey, genericPath(keys));
        if (!known.contains(path)) {
            throw new ConfigLoadException(file + ": key '" + tomlKey + "' maps to " + path
                    + ", which is not a configuration key");
        }
        Object value = tomlKey.equals(TIMEOUT_MS) ? milliseconds(node) : value(node);
        config = config.withValue(path, ConfigValueFactory.fromAnyRef(value, file + ": " + tomlKey));
    }

    private String milliseconds(JsonNode node) {
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new ConfigLoadException(file + ": key '" + TIMEOUT_MS
                    + "' expected a whole number of milliseconds, got " + node);
        }
        return node.longValue() + " ms";
    }

    private static String genericPath(List<String> keys) {
        List<String> segments = new ArrayList<>(List.of(KnownKeys.ROOT));
        keys.forEach(key -> segments.add(key.toLowerCase(Locale.ROOT).replace('_', '-')));
        return ConfigUtil.joinPath(segments);
    }

    private static Object value(JsonNode node) {
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.asText();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isArray()) {
            List<Object> items = new ArrayList<>();
            node.forEach(item -> items.add(value(item)));
            return items;
        }
        if (node.isObject()) {
            Map<String, Object> table = new LinkedHashMap<>();
            node.properties().forEach(field -> table.put(field.getKey(), value(field.getValue())));
            return table;
        }
        return node.asText();
    }
}
