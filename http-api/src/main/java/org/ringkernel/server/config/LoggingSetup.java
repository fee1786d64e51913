package org.ringkernel.server.config;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.ringkernel.bridge.runtime.SettingsException;
import org.ringkernel.server.HttpSettings;

/**
 * Hands the logging settings to logback, which reads them as variables of {@code logback.xml}:
 * {@code RINGKERNEL_LOG_FORMAT} ({@code text} or {@code json}) picks the appender and
 * {@code RINGKERNEL_LOG_LEVEL} the level of the {@code org.ringkernel} loggers. Logback reads its configuration
 * once, when the first logger is created, so {@link #apply} must run before anything logs: first in
 * {@code main}, after {@link ServerConfig#load} and before {@link ServerConfig#validate}, which loads classes
 * that hold loggers.
 */
public final class LoggingSetup {
    /** The variable logback reads the log format from: {@code text} or {@code json}. */
    public static final String FORMAT_PROPERTY = "RINGKERNEL_LOG_FORMAT";
    /** The variable logback reads the level of the {@code org.ringkernel} loggers from. */
    public static final String LEVEL_PROPERTY = "RINGKERNEL_LOG_LEVEL";
    /** Logback's own property naming its configuration file; a value given with {@code -D} is kept. */
    public static final String CONFIGURATION_FILE_PROPERTY = "logback.configurationFile";
    /** The operators' copy of the logback configuration the server jar carries, relative to the working directory. */
    public static final String OPERATOR_FILE = "conf/logback.xml";

    private LoggingSetup() {
    }

    /**
     * Sets the system properties of {@link #properties}.
     *
     * @throws SettingsException for a bad {@code ringkernel.logging} or
     *         {@code ringkernel.http} value, before anything has logged
     */
    public static void apply(Config config, Path workingDir) {
        properties(config, workingDir).forEach((key, value) -> {
            if (!key.equals(CONFIGURATION_FILE_PROPERTY) || System.getProperty(key) == null) {
                System.setProperty(key, value);
            }
        });
    }

    /**
     * The format and level from {@code ringkernel.logging}, and {@code conf/logback.xml} under
     * {@code workingDir} as logback's configuration file when it is there (else logback uses the jar's copy).
     */
    static Map<String, String> properties(Config config, Path workingDir) {
        HttpSettings http;
        try {
            http = HttpSettings.fromConfig(config); // checks ringkernel.logging.format and .level too
        } catch (SettingsException e) {
            throw ServerConfig.withOrigin(e, config);
        }
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(FORMAT_PROPERTY, http.logFormat());
        properties.put(LEVEL_PROPERTY, config.getString("ringkernel.logging.level").strip().toLowerCase(Locale.ROOT));
        Path operatorFile = workingDir.resolve(OPERATOR_FILE);
        if (Files.isRegularFile(operatorFile)) {
            properties.put(CONFIGURATION_FILE_PROPERTY, operatorFile.toAbsolutePath().toString());
        }
        return properties;
    }
}
