package org.ringkernel.bridge.runtime;

import static org.ringkernel.bridge.runtime.SettingsReader.require;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.ringkernel.bridge.ring.RequestDescriptor;
import org.ringkernel.bridge.ring.RingDescriptor;

/**
 * The device runtime's configuration, read once from the {@code ringkernel} section (see this module's
 * {@code reference.conf} for every key) with {@code RINGKERNEL_BACKEND} from the environment taking
 * precedence over {@code ringkernel.backend}.
 *
 * @param backend which backend to run
 * @param deviceId which CUDA device, when CUDA runs
 * @param instance how each kernel instance is laid out and driven
 * @param terminateTimeout how long terminating an instance waits for its loop to stop
 * @param memory the CUDA backend's device memory pool
 * @param blockSize CUDA threads per block of a ring kernel
 * @param gridSize blocks of each persistent CUDA kernel, 0 for one per eight multiprocessors
 * @param ringPath how a persistent CUDA kernel's requests choose between its ring and its launch path; no
 *     limit is read here (the actor bridge sets its watchdog timeout as the limit)
 */
public record BridgeSettings(BackendKind backend, int deviceId, InstanceSettings instance, Duration terminateTimeout,
                             MemorySettings memory, int blockSize, int gridSize, RingPathSettings ringPath) {

    /**
     * The CUDA backend's device memory.
     *
     * @param poolBytes bytes the pool takes at start-up, all the device memory the backend uses
     */
    public record MemorySettings(long poolBytes) {
    }
    /** The environment variable that overrides {@code ringkernel.backend}. */
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
        SettingsReader read = new SettingsReader(config);
        boolean fromEnv = env.containsKey(BACKEND_ENV);
        String backendValue = fromEnv ? env.get(BACKEND_ENV) : read.string("ringkernel.backend");
        BackendKind backend = SettingsReader.parse(fromEnv ? BACKEND_ENV : "ringkernel.backend",
                () -> BackendKind.parse(backendValue));
        int deviceId = read.integer("ringkernel.device-id");
        require(deviceId >= 0, "ringkernel.device-id", "a device number of at least 0, got " + deviceId);

        int capacity = read.integer("ringkernel.queue-capacity");
        require(capacity >= 2 && capacity <= RingDescriptor.MAX_CAPACITY && Integer.bitCount(capacity) == 1,
                "ringkernel.queue-capacity",
                "a power of two between 2 and " + RingDescriptor.MAX_CAPACITY + ", got " + capacity);
        long arena = read.bytes("ringkernel.kernel.arena-size");
        require(arena >= RequestDescriptor.ARENA_ALIGNMENT && arena <= MAX_ARENA_BYTES
                        && arena % RequestDescriptor.ARENA_ALIGNMENT == 0, "ringkernel.kernel.arena-size",
                "a multiple of " + RequestDescriptor.ARENA_ALIGNMENT + " bytes of at most 1 GiB, got " + arena);
        int maxBatch = read.integer("ringkernel.kernel.max-batch-size");
        require(maxBatch >= 1 && maxBatch <= capacity, "ringkernel.kernel.max-batch-size",
                "a size in [1, queue-capacity " + capacity + "], got " + maxBatch);
        boolean poison = read.bool("ringkernel.kernel.poison-outputs");
        Duration terminate = read.positiveDuration("ringkernel.kernel.terminate-timeout", DurationLimit.NANO_CLOCK);
        String checkValue = read.string("ringkernel.kernel.output-check");
        OutputCheck outputCheck = SettingsReader.parse("ringkernel.kernel.output-check",
                () -> OutputCheck.parse(checkValue));
        InstanceSettings instance = new InstanceSettings(capacity, (int) arena, maxBatch, poison,
                read.idle("ringkernel.kernel.idle"), InstanceSettings.DEFAULT_WORKER_STALL_TIMEOUT, outputCheck);
        long pool = read.bytes("ringkernel.memory.pool-size");
        require(pool >= 1 << 20, "ringkernel.memory.pool-size", "a size of at least 1 MiB, got " + pool);
        require(read.bool("ringkernel.memory.enable-pooling"), "ringkernel.memory.enable-pooling",
                "true: device memory comes only from the pool, since allocating or freeing it beside resident "
                        + "persistent kernels can wait forever; got false");
        MemorySettings memory = new MemorySettings(pool);
        int blockSize = read.integer("ringkernel.kernel.block-size");
        require(blockSize >= 32 && blockSize <= 1024 && blockSize % 32 == 0, "ringkernel.kernel.block-size",
                "a multiple of 32 between 32 and 1024, got " + blockSize);
        int gridSize = read.integer("ringkernel.kernel.grid-size");
        require(gridSize >= 0 && gridSize <= 65535, "ringkernel.kernel.grid-size",
                "0 (one block per eight multiprocessors) or a block count up to 65535, got " + gridSize);
        return new BridgeSettings(backend, deviceId, instance, terminate, memory, blockSize, gridSize,
                ringPath(read));
    }

    private static RingPathSettings ringPath(SettingsReader read) {
        String r = "ringkernel.kernel.ring-path.";
        double flops = read.positiveNumber(r + "block-flops-per-second");
        long bytes = read.bytes(r + "block-bytes-per-second");
        require(bytes > 0, r + "block-bytes-per-second", "a positive size (bytes per second), got " + bytes);
        Duration budget = read.positiveDuration(r + "budget", DurationLimit.NANO_CLOCK);
        return new RingPathSettings(flops, bytes, budget, Optional.empty());
    }

    /** These settings with another backend. */
    public BridgeSettings withBackend(BackendKind kind) {
        return new BridgeSettings(kind, deviceId, instance, terminateTimeout, memory, blockSize, gridSize, ringPath);
    }

    /**
     * These settings with {@code watchdog} as the ring path's limit: a request that could hold a ring block
     * that long never runs on the ring.
     */
    public BridgeSettings withRingLimit(Duration watchdog) {
        return new BridgeSettings(backend, deviceId, instance, terminateTimeout, memory, blockSize, gridSize,
                ringPath.withLimit(watchdog));
    }

    /** These settings with other instance settings. */
    public BridgeSettings withInstance(InstanceSettings other) {
        return new BridgeSettings(backend, deviceId, other, terminateTimeout, memory, blockSize, gridSize, ringPath);
    }

}
