package org.ringkernel.server;

import com.typesafe.config.Config;
import org.ringkernel.bridge.runtime.SettingsReader;

/**
 * {@code ringkernel.telemetry}: whether the server records metrics and traces, and the share of requests it
 * traces.
 *
 * @param enabled {@code enabled}: off, the server records nothing and neither reads nor returns
 *     {@code traceparent}
 * @param traceSampleRate {@code trace-sample-rate}, 0 to 1: the share of requests without a {@code traceparent}
 *     that start a sampled trace
 */
public record TelemetrySettings(boolean enabled, double traceSampleRate) {
    static final String RATE_KEY = "ringkernel.telemetry.trace-sample-rate";

    public TelemetrySettings {
        SettingsReader.require(traceSampleRate >= 0 && traceSampleRate <= 1, RATE_KEY,
                "a share of requests from 0 to 1, got " + traceSampleRate);
    }

    public static TelemetrySettings fromConfig(Config config) {
        SettingsReader reader = new SettingsReader(config);
        return new TelemetrySettings(reader.bool("ringkernel.telemetry.enabled"), reader.number(RATE_KEY, 0, 1));
    }
}
