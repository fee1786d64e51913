package org.ringkernel.server.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The keys under {@code ringkernel} that the modules' {@code reference.conf} files define. Every layer above
 * the defaults may only set these, so that a misspelt key fails start-up instead of being ignored. A section
 * that is empty in the defaults (such as {@code ringkernel.cluster.instances {}}) is a map whose keys the
 * operator chooses: any key under it is known, and its settings class checks it.
 */
final class KnownKeys {
    static final String ROOT = "ringkernel";

    private final Config defaults;

    /** @param defaults the resolved reference configuration */
    KnownKeys(Config defaults) {
        this.defaults = defaults;
    }

    /** Whether {@code path} (a path expression) names a key or section of the defaults, or a key of an open map. */
    boolean contains(String path) {
        try {
            if (defaults.hasPath(path)) {
                return true;
            }
            List<String> segments = ConfigUtil.splitPath(path);
            for (int end = segments.size() - 1; end > 0; end--) {
                String parent = ConfigUtil.joinPath(segments.subList(0, end));
                if (defaults.hasPath(parent)) {
                    return defaults.getValue(parent) instanceof ConfigObject section && section.isEmpty();
                }
            }
            return false;
        } catch (ConfigException e) {
            return false;
        }
    }

    /** Whether the default at {@code path} is a list. */
    boolean isList(String path) {
        return contains(path) && defaults.hasPath(path) && defaults.getValue(path).valueType() == ConfigValueType.LIST;
    }

    /**
     * Checks every key a configuration file sets under {@code ringkernel}; works on an unresolved configuration.
     *
     * @throws ConfigLoadException naming the file and the first unknown key
     */
    void requireKnown(Config file, String fileName) {
        ConfigValue section = file.root().get(ROOT);
        if (section instanceof ConfigObject object) {
            requireKnown(object, new ArrayList<>(List.of(ROOT)), fileName);
        }
    }

    private void requireKnown(ConfigObject object, List<String> prefix, String fileName) {
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            prefix.add(entry.getKey());
            String path = ConfigUtil.joinPath(prefix);
            if (!contains(path)) {
                throw new ConfigLoadException(fileName + ": " + path + " is not a configuration key"
                        + " (each key is documented in the modules' reference.conf)");
            }
            if (entry.getValue() instanceof ConfigObject child) {
                requireKnown(child, prefix, fileName);
            }
            prefix.remove(prefix.size() - 1);
        }
    }
}
