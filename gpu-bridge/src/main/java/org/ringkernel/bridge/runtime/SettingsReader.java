package org.ringkernel.bridge.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.ringkernel.bridge.runtime.InstanceSettings.IdleSettings;

/**
 * Reads typed values from a configuration, turning every problem into a {@link SettingsException} that
 * names the key's full path and what was expected. Settings classes use it once, at start-up.
 */
public final class SettingsReader {
    private final Config config;

    /** A reader over the whole configuration; paths are absolute, e.g. {@code ringkernel.queue-capacity}. */
    public SettingsReader(Config config) {
        this.config = config;
    }

    /**
     * The string at {@code path}.
     *
     * @throws SettingsException when it is missing or not a string
     */
    public String string(String path) {
        return read(path, () -> config.getString(path));
    }

    /**
     * The list of strings at {@code path}.
     *
     * @throws SettingsException when it is missing or not such a list
     */
    public List<String> strings(String path) {
        return read(path, () -> config.getStringList(path));
    }

    /**
     * The integer at {@code path}.
     *
     * @throws SettingsException when it is missing or not an integer
     */
    public int integer(String path) {
        return read(path, () -> config.getInt(path));
    }

    /**
     * The size in bytes at {@code path}, e.g. {@code 64 MiB}.
     *
     * @throws SettingsException when it is missing or not a size
     */
    public long bytes(String path) {
        return read(path, () -> config.getBytes(path));
    }

    /** A number above zero, e.g. a rate. */
    public double positiveNumber(String path) {
        double value = read(path, () -> config.getDouble(path));
        require(value > 0 && !Double.isInfinite(value), path, "a positive number, got " + value);
        return value;
    }

    /** A number in [min, max], e.g. a share. */
    public double number(String path, double min, double max) {
        double value = read(path, () -> config.getDouble(path));
        require(value >= min && value <= max, path, "a number from " + min + " to " + max + ", got " + value);
        return value;
    }

    /**
     * The boolean at {@code path}.
     *
     * @throws SettingsException when it is missing or not a boolean
     */
    public boolean bool(String path) {
        return read(path, () -> config.getBoolean(path));
    }

    /**
     * The duration at {@code path}, e.g. {@code 5s}.
     *
     * @throws SettingsException when it is missing or not a duration
     */
    public Duration duration(String path) {
        return read(path, () -> config.getDuration(path));
    }

    /** A duration that must be above zero. */
    public Duration positiveDuration(String path) {
        Duration value = duration(path);
        require(!value.isNegative() && !value.isZero(), path, "a positive duration, got " + value);
        return value;
    }

    /** A duration above zero and within {@code limit}, the longest the runtime honours for it. */
    public Duration positiveDuration(String path, DurationLimit limit) {
        Duration value = positiveDuration(path);
        require(value.compareTo(limit.max()) <= 0, path, "a positive duration of at most " + describe(limit.max())
                + " (" + limit.reason() + "), got " + describe(value));
        return value;
    }

    /** A duration of at least 0 and within {@code limit}. */
    public Duration duration(String path, DurationLimit limit) {
        Duration value = duration(path);
        require(!value.isNegative() && value.compareTo(limit.max()) <= 0, path, "a duration between 0 and "
                + describe(limit.max()) + " (" + limit.reason() + "), got " + describe(value));
        return value;
    }

    /** A duration as people read it: in days from a day on, else in whole seconds, milliseconds or microseconds. */
    public static String describe(Duration value) {
        if (value.toDays() >= 1) {
            return String.format(Locale.ROOT, "%.2f days", value.toSeconds() / 86_400.0);
        }
        if (value.toNanos() % 1_000_000_000 == 0) {
            return value.toSeconds() + " s";
        }
        return value.toNanos() % 1_000_000 == 0 ? value.toMillis() + " ms" : value.toNanos() / 1_000.0 + " us";
    }

    /** A whole number in [min, max]. */
    public int integer(String path, int min, int max) {
        int value = integer(path);
        require(value >= min && value <= max, path, "a whole number in [" + min + ", " + max + "], got " + value);
        return value;
    }

    /** Whether the key is present and not null. */
    public boolean has(String path) {
        return config.hasPath(path);
    }

    /**
     * How a polling thread idles, from {@code path.spin-iterations}, {@code .yield-iterations}, {@code .max-park}
     * and {@code .busy-limit} (0 for none).
     */
    public IdleSettings idle(String path) {
        int spins = integer(path + ".spin-iterations", 0, Integer.MAX_VALUE);
        int yields = integer(path + ".yield-iterations", 0, Integer.MAX_VALUE);
        return new IdleSettings(spins, yields, positiveDuration(path + ".max-park", DurationLimit.NANO_CLOCK),
                duration(path + ".busy-limit", DurationLimit.NANO_CLOCK));
    }

    /** Parses a value with {@code parser}, reporting its {@link IllegalArgumentException} against {@code path}. */
    public static <T> T parse(String path, Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new SettingsException(path, e.getMessage().replaceFirst("^expected ", ""));
        }
    }

    /** "… has type STRING rather than NUMBER" → "a number". */
    private static String expectedType(String message) {
        String wanted = message.substring(message.lastIndexOf(' ') + 1).toLowerCase(Locale.ROOT);
        return switch (wanted) {
            case "number" -> "a number";
            case "boolean" -> "on, off, true or false";
            case "list" -> "a list";
            case "object" -> "an object";
            default -> "a " + wanted;
        };
    }

    /**
     * Checks a setting's value.
     *
     * @throws SettingsException naming {@code path} and what was {@code expected} when {@code ok} is false
     */
    public static void require(boolean ok, String path, String expected) {
        if (!ok) {
            throw new SettingsException(path, expected);
        }
    }

    private <T> T read(String path, Supplier<T> value) {
        try {
            return value.get();
        } catch (ConfigException.Missing e) {
            throw new SettingsException(path, "a value, but the key is missing");
        } catch (ConfigException.WrongType e) {
            throw new SettingsException(path, expectedType(e.getMessage()) + ", got '"
                    + config.getValue(path).unwrapped() + "'");
        } catch (ConfigException e) {
            String message = e.getMessage();
            int colon = message.lastIndexOf(": ");
            throw new SettingsException(path, colon >= 0 ? message.substring(colon + 2) : message);
        }
    }
}
