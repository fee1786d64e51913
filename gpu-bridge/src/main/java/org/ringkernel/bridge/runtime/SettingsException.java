package org.ringkernel.bridge.runtime;

/** A configuration value that cannot be used; the message names the key's path and what was expected. */
public final class SettingsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The path of the setting that was wrong. */
    private final String path;

    /** The setting at {@code path} is wrong; {@code expected} says what it should be. */
    public SettingsException(String path, String expected) {
        super(path + ": expected " + expected);
        this.path = path;
    }

    /** The configuration key at fault, e.g. {@code ringkernel.queue-capacity}. */
    public String path() {
        return path;
    }
}
