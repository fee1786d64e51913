package org.ringkernel.actors.metrics;

import com.typesafe.config.Config;
import org.ringkernel.bridge.runtime.SettingsReader;

/**
 * The {@code ringkernel.telemetry} section, read once.
 *
 * @param enabled whether the runtime records metrics; off, every recorder does nothing
 */
public record TelemetrySettings(boolean enabled) {

    /** @throws org.ringkernel.bridge.runtime.SettingsException naming the bad key and what was expected */
    public static TelemetrySettings fromConfig(Config config) {
        return new TelemetrySettings(new SettingsReader(config).bool("ringkernel.telemetry.enabled"));
    }
}
