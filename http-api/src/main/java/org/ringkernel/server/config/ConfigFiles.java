package org.ringkernel.server.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Reads a configuration file, HOCON or TOML by its extension, and checks that it sets only known keys. */
final class ConfigFiles {
    private ConfigFiles() {
    }

    /**
     * @throws ConfigLoadException for a missing or unreadable file, an unsupported extension, a syntax error or an
     *         unknown key, naming the file
     */
    static Config read(Path file, KnownKeys known) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".toml")) {
            requireReadable(file);
            return TomlConfig.read(file, known);
        }
        if (name.endsWith(".conf")) {
            return hocon(file, known);
        }
        throw new ConfigLoadException(file + ": expected a HOCON (.conf) or TOML (.toml) file");
    }

    static Config hocon(Path file, KnownKeys known) {
        requireReadable(file);
        Config config;
        try {
            config = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw new ConfigLoadException("cannot parse " + e.getMessage(), e); // the message begins with file: line
        }
        known.requireKnown(config, file.toString());
        return config;
    }

    private static void requireReadable(Path file) {
        if (!Files.exists(file)) {
            throw new ConfigLoadException(file + ": no such file");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ConfigLoadException(file + ": not a readable file");
        }
    }
}
