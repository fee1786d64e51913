package org.ringkernel.actors.metrics;

import com.typesafe.config.Config;
import org.ringkernel.bridge.runtime.SettingsReader;

/**
 * The {@code ringkernel.telemetry} section, read once.
 *
 * @param enabled whether the runtime records metrics and traces; off, every recorder does nothing, no span is
 *     built, and {@code traceparent} is neither read nor returned
 * @param traceSampleRate {@code trace-sample-rate}, 0 to 1: the share of requests without a {@code traceparent}
 *     that start a sampled trace
 */
public record TelemetrySettings(boolean enabled, double traceSampleRate) {
    static final String RATE_KEY = "ringkernel.telemetry.trace-sample-rate";

    /**
     * Checks the settings.
     *
     * @throws org.ringkernel.bridge.runtime.SettingsException when the sample rate is not from 0 to 1
     */
    public TelemetrySettings {
        SettingsReader.require(traceSampleRate >= 0 && traceSampleRate <= 1, RATE_KEY,
                "a share of requests from 0 to 1, got " + traceSampleRate);
    }

    /** @throws org.ringkernel.bridge.runtime.SettingsException naming the bad key and what was expected */
    public static TelemetrySettings fromConfig(Config config) {
        SettingsReader reader = new SettingsReader(config);
        return new TelemetrySettings(reader.bool("ringkernel.telemetry.enabled"), reader.number(RATE_KEY, 0, 1));
    }
}
