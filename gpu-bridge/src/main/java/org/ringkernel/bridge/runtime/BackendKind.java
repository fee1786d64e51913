package org.ringkernel.bridge.runtime;

import java.util.Locale;

/** Which backend runs the kernels; {@link #AUTO} picks CUDA when a device is usable, else the CPU. */
public enum BackendKind {
    /** CUDA when a device is usable, else the CPU. */
    AUTO,
    /** The CPU backend, which runs every kernel. */
    CPU,
    /** The CUDA backend, on a device. */
    CUDA;

    private final String configName = name().toLowerCase(Locale.ROOT);

    /** The name used in configuration and reports: {@code auto}, {@code cpu}, {@code cuda}. */
    public String configName() {
        return configName;
    }

    /**
     * Parses a configuration value, ignoring case and surrounding blanks.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static BackendKind parse(String value) {
        String wanted = value.strip().toLowerCase(Locale.ROOT);
        for (BackendKind kind : values()) {
            if (kind.configName().equals(wanted)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("expected one of auto, cpu, cuda, got '" + value + "'");
    }
}
