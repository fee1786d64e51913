package org.ringkernel.bridge.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.ringkernel.bridge.ring.RequestDescriptor;
import org.ringkernel.bridge.ring.RingDescriptor;
import org.ringkernel.bridge.runtime.InstanceSettings.IdleSettings;

/**
 * The device runtime's configuration, read once from the {@code ringkernel} section (see this module's
 * {@code reference.conf} for every key) with {@code RINGKERNEL_BACKEND} from the environment taking
 * precedence over {@code ringkernel.backend}.
 *
 * @param backend which backend to run
 * @param deviceId which CUDA device, when CUDA runs
 * @param instance how each kernel instance is laid out and driven
 * @param terminateTimeout how long terminating an instance waits for its loop to stop
 */
public record BridgeSettings(BackendKind backend, int deviceId, InstanceSettings instance, Duration terminateTimeout) {
    public static final String BACKEND_ENV = "RINGKERNEL_BACKEND";
    /** The largest arena: one instance's memory must stay addressable by a single direct buffer. */
    public static final long MAX_ARENA_BYTES = 1L << 30;

    /** Reads the application's configuration and the process environment. */
    public static BridgeSettings load() {
        return fromConfig(ConfigFactory.load(), System.getenv());
    }

    /**
     * Reads {@code config}'s {@code ringkernel} section.
     *
     * @throws SettingsException naming the key and what was expected, for the first bad value
     */
    public static BridgeSettings fromConfig(Config config, Map<String, String> env) {
        Config rk = config.getConfig("ringkernel");
        String backendValue = env.getOrDefault(BACKEND_ENV, read("ringkernel.backend", () -> rk.getString("backend")));
        String backendSource = env.containsKey(BACKEND_ENV) ? BACKEND_ENV : "ringkernel.backend";
        BackendKind backend = parse(backendSource, () -> BackendKind.parse(backendValue));
        int deviceId = read("ringkernel.device-id", () -> rk.getInt("device-id"));
        require(deviceId >= 0, "ringkernel.device-id", "a device number of at least 0, got " + deviceId);

        int capacity = read("ringkernel.queue-capacity", () -> rk.getInt("queue-capacity"));
        require(capacity >= 2 && capacity <= RingDescriptor.MAX_CAPACITY && Integer.bitCount(capacity) == 1,
                "ringkernel.queue-capacity",
                "a power of two between 2 and " + RingDescriptor.MAX_CAPACITY + ", got " + capacity);
        long arena = read("ringkernel.kernel.arena-size", () -> rk.getBytes("kernel.arena-size"));
        require(arena >= RequestDescriptor.ARENA_ALIGNMENT && arena <= MAX_ARENA_BYTES
                        && arena % RequestDescriptor.ARENA_ALIGNMENT == 0, "ringkernel.kernel.arena-size",
                "a multiple of " + RequestDescriptor.ARENA_ALIGNMENT + " bytes of at most 1 GiB, got " + arena);
        int maxBatch = read("ringkernel.kernel.max-batch-size", () -> rk.getInt("kernel.max-batch-size"));
        require(maxBatch >= 1 && maxBatch <= capacity, "ringkernel.kernel.max-batch-size",
                "a size in [1, queue-capacity " + capacity + "], got " + maxBatch);
        boolean poison = read("ringkernel.kernel.poison-outputs", () -> rk.getBoolean("kernel.poison-outputs"));
        Duration terminate = read("ringkernel.kernel.terminate-timeout", () -> rk.getDuration("kernel.terminate-timeout"));
        require(!terminate.isNegative() && !terminate.isZero(), "ringkernel.kernel.terminate-timeout",
                "a positive duration, got " + terminate);

        int spins = read("ringkernel.kernel.idle.spin-iterations", () -> rk.getInt("kernel.idle.spin-iterations"));
        require(spins >= 0, "ringkernel.kernel.idle.spin-iterations", "a count of at least 0, got " + spins);
        int yields = read("ringkernel.kernel.idle.yield-iterations", () -> rk.getInt("kernel.idle.yield-iterations"));
        require(yields >= 0, "ringkernel.kernel.idle.yield-iterations", "a count of at least 0, got " + yields);
        Duration maxPark = read("ringkernel.kernel.idle.max-park", () -> rk.getDuration("kernel.idle.max-park"));
        require(!maxPark.isNegative() && !maxPark.isZero(), "ringkernel.kernel.idle.max-park",
                "a positive duration, got " + maxPark);

        InstanceSettings instance = new InstanceSettings(capacity, (int) arena, maxBatch, poison,
                new IdleSettings(spins, yields, maxPark));
        return new BridgeSettings(backend, deviceId, instance, terminate);
    }

    /** These settings with another backend. */
    public BridgeSettings withBackend(BackendKind kind) {
        return new BridgeSettings(kind, deviceId, instance, terminateTimeout);
    }

    /** These settings with other instance settings. */
    public BridgeSettings withInstance(InstanceSettings settings) {
        return new BridgeSettings(backend, deviceId, settings, terminateTimeout);
    }

    private static <T> T read(String path, Supplier<T> value) {
        try {
            return value.get();
        } catch (ConfigException.Missing e) {
            throw new SettingsException(path, "a value, but the key is missing");
        } catch (ConfigException e) {
            throw new SettingsException(path, describe(e));
        }
    }

    private static <T> T parse(String path, Supplier<T> value) {
        try {
            return value.get();
        } catch (IllegalArgumentException e) {
            throw new SettingsException(path, e.getMessage().replaceFirst("^expected ", ""));
        }
    }

    private static String describe(ConfigException e) {
        String message = e.getMessage();
        int colon = message.lastIndexOf(": ");
        return colon >= 0 ? message.substring(colon + 2) : message;
    }

    private static void require(boolean ok, String path, String expected) {
        if (!ok) {
            throw new SettingsException(path, expected);
        }
    }
}
