package org.ringkernel.server.config;

/**
 * The server's configuration could not be assembled: a file that cannot be read or parsed, an unsupported file
 * type, or a key (in a file or an environment variable) that no module defines. The message names the file or
 * variable and the key.
 */
public final class ConfigLoadException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The configuration cannot be loaded, {@code message} saying why. */
    public ConfigLoadException(String message) {
        super(message);
    }

    /** The configuration cannot be loaded, {@code message} saying why, caused by {@code cause}. */
    public ConfigLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
