package org.ringkernel.server.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The server's command line: {@code [--config FILE] [--help]}.
 *
 * @param configFile a {@code .conf} or {@code .toml} file layered over {@code conf/application.conf}
 * @param help whether usage was asked for
 */
public record ServerArgs(Optional<Path> configFile, boolean help) {
    private static final String CONFIG = "--config";
    private static final String OPTIONS = "options: --config FILE, --help";

    /**
     * @throws IllegalArgumentException naming the argument at fault and the options there are
     */
    public static ServerArgs parse(List<String> args) {
        Optional<Path> configFile = Optional.empty();
        boolean help = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
            } else if (arg.equals(CONFIG)) {
                configFile = configFile(configFile, i + 1 < args.size() ? args.get(++i) : "");
            } else if (arg.startsWith(CONFIG + "=")) {
                configFile = configFile(configFile, arg.substring(CONFIG.length() + 1));
            } else {
                throw new IllegalArgumentException("unknown option '" + arg + "'; " + OPTIONS);
            }
        }
        return new ServerArgs(configFile, help);
    }

    /** What {@code --help} prints. */
    public static String usage() {
        return String.join(System.lineSeparator(),
                "usage: java -jar ringkernel-server.jar [--config FILE] [--help]",
                "  --config FILE  a HOCON (.conf) or TOML (.toml) file; it overrides conf/application.conf",
                "  --help         print this and exit",
                "Environment variables override both: RINGKERNEL_A__B_C sets ringkernel.a.b-c;",
                "RINGKERNEL_BACKEND, RINGKERNEL_HTTP_PORT, RINGKERNEL_LOG_FORMAT and RINGKERNEL_LOG_LEVEL are",
                "shorthands. Every key is documented in the modules' reference.conf.");
    }

    private static Optional<Path> configFile(Optional<Path> previous, String file) {
        if (file.isBlank() || file.startsWith("--")) {
            throw new IllegalArgumentException(CONFIG + " needs a file; " + OPTIONS);
        }
        if (previous.isPresent()) {
            throw new IllegalArgumentException(CONFIG + " given more than once; " + OPTIONS);
        }
        return Optional.of(Path.of(file));
    }
}
