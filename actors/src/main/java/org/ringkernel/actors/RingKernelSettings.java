package org.ringkernel.actors;

import static org.ringkernel.bridge.runtime.SettingsReader.require;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ringkernel.actors.metrics.TelemetrySettings;
import org.ringkernel.bridge.runtime.BridgeSettings;
import org.ringkernel.bridge.runtime.DurationLimit;
import org.ringkernel.bridge.runtime.InstanceSettings.IdleSettings;
import org.ringkernel.bridge.runtime.SettingsReader;
import org.ringkernel.kernels.builtin.BuiltinKernels;

/**
 * The actor bridge's configuration, read once from the {@code ringkernel} section; every key is documented
 * in this module's {@code reference.conf} (and the device runtime's in gpu-bridge's).
 *
 * @param bridge the device runtime's settings, with the watchdog timeout as the ring path's limit: a request
 *     estimated to hold a ring block that long never runs on the ring
 * @param startKernels the built-in kernels started with the system ({@code ringkernel.kernels.start}); the
 *     others start on first use
 * @param instances kernel instances per kernel
 * @param maxKernels the most kernels (started and registered) the system runs
 * @param requestTimeout the deadline of a request that names none
 * @param maxWaitQueue requests an instance holds beyond those in its ring before answering overloaded
 * @param maxQueueTime the longest a request is expected to wait for its kernel before it is answered
 *     overloaded at once
 * @param batching how requests are batched
 * @param supervision how instances are restarted and watched
 * @param pollerIdle how the completion poller idles
 * @param faultInjection whether faults may be injected through {@link RingKernels#faults()}
 * @param telemetry whether the runtime records metrics
 */
public record RingKernelSettings(BridgeSettings bridge, List<String> startKernels, int instances, int maxKernels,
                                 Duration requestTimeout, int maxWaitQueue, Duration maxQueueTime, BatchingSettings batching,
                                 SupervisionSettings supervision, IdleSettings pollerIdle, boolean faultInjection,
                                 TelemetrySettings telemetry) {
    /** How many ring budgets the watchdog timeout holds at least. */
    private static final int RING_BUDGET_SHARE = 10;

    private static final String START = "ringkernel.kernels.start";
    private static final String ON_FIRST_USE = "on-first-use";
    private static final String ALL = "all";

    /**
     * @throws org.ringkernel.bridge.runtime.SettingsException naming the first bad key and what was expected
     */
    public static RingKernelSettings fromConfig(Config config, Map<String, String> env) {
        BridgeSettings bridge = BridgeSettings.fromConfig(config, env);
        SettingsReader read = new SettingsReader(config);
        List<String> start = startKernels(config, read);
        int instances = read.integer("ringkernel.kernels.instances", 1, 64);
        int maxKernels = read.integer("ringkernel.kernels.max", 1, 1024);
        require(start.size() <= maxKernels, "ringkernel.kernels.max",
                "at least the " + start.size() + " kernels of ringkernel.kernels.start, got " + maxKernels);
        DurationLimit schedulable = SchedulerLimit.of(config);
        Duration requestTimeout = read.positiveDuration("ringkernel.request-timeout",
                schedulable.less(KernelRef.ASK_MARGIN, "the ask's margin"));
        int maxWaitQueue = read.integer("ringkernel.max-wait-queue", 0, 1 << 20);
        Duration maxQueueTime = read.positiveDuration("ringkernel.max-queue-time", DurationLimit.NANO_CLOCK);

        BatchingMode mode = SettingsReader.parse("ringkernel.batching.mode",
                () -> BatchingMode.parse(read.string("ringkernel.batching.mode")));
        int maxBatch = read.integer("ringkernel.batching.max-batch-size", 1, bridge.instance().capacity());
        Duration maxDelay = read.duration("ringkernel.batching.max-delay", schedulable);
        BatchingSettings batching = new BatchingSettings(mode, maxBatch, maxDelay);

        String s = "ringkernel.supervision.";
        Duration minBackoff = read.positiveDuration(s + "restart-min-backoff", schedulable);
        Duration maxBackoff = read.positiveDuration(s + "restart-max-backoff", schedulable);
        require(maxBackoff.compareTo(minBackoff) >= 0, s + "restart-max-backoff",
                "at least restart-min-backoff (" + minBackoff + "), got " + maxBackoff);
        int maxRestarts = read.integer(s + "max-restarts", 0, 10_000);
        Duration window = read.positiveDuration(s + "max-restarts-within", DurationLimit.NANO_CLOCK);
        Optional<Duration> retryAfter = "off".equals(read.string(s + "unavailable-retry-after").strip())
                ? Optional.empty()
                : Optional.of(read.positiveDuration(s + "unavailable-retry-after", schedulable));
        boolean retryInFlight = read.bool(s + "retry-in-flight");
        Duration watchdog = read.positiveDuration(s + "watchdog-timeout", DurationLimit.NANO_CLOCK);
        Duration ringBudget = bridge.ringPath().budget();
        require(ringBudget.multipliedBy(RING_BUDGET_SHARE).compareTo(watchdog) <= 0,
                "ringkernel.kernel.ring-path.budget",
                "at most a tenth of ringkernel.supervision.watchdog-timeout (" + SettingsReader.describe(watchdog)
                        + "), so a request on a ring block never looks like a hang, got "
                        + SettingsReader.describe(ringBudget));
        Duration tick = read.positiveDuration(s + "tick-interval", schedulable);
        SupervisionSettings supervision = new SupervisionSettings(minBackoff, maxBackoff, maxRestarts, window,
                retryAfter, retryInFlight, watchdog, tick);

        // A device kernel's own wait for a stuck worker block gives up when the host's watchdog would, and no
        // request the ring could not finish within it goes there.
        BridgeSettings watched = bridge.withInstance(bridge.instance().withWorkerStallTimeout(watchdog))
                .withRingLimit(watchdog);
        return new RingKernelSettings(watched, List.copyOf(start), instances, maxKernels, requestTimeout, maxWaitQueue,
                maxQueueTime, batching, supervision, read.idle("ringkernel.poller.idle"),
                read.bool("ringkernel.debug.fault-injection"), TelemetrySettings.fromConfig(config));
    }

    /**
     * The built-ins {@code ringkernel.kernels.start} names: none for {@code on-first-use}, every one for {@code all},
     * else those of a list or of a comma-separated string (what an environment variable sets).
     */
    private static List<String> startKernels(Config config, SettingsReader read) {
        List<String> builtins = BuiltinKernels.ids().stream().sorted(KernelInfo.ID_ORDER).toList();
        List<String> ids;
        if (config.hasPath(START) && config.getValue(START).valueType() == ConfigValueType.STRING) {
            String value = read.string(START).strip();
            if (ON_FIRST_USE.equals(value)) {
                return List.of();
            }
            if (ALL.equals(value)) {
                return builtins;
            }
            ids = Arrays.stream(value.split(",")).map(String::strip).filter(id -> !id.isEmpty()).toList();
        } else {
            ids = read.strings(START);
        }
        for (String id : ids) {
            require(BuiltinKernels.find(id).isPresent(), START, ON_FIRST_USE + ", " + ALL
                    + " or a list of built-in kernel ids (" + String.join(", ", builtins) + "), got '" + id + "'");
        }
        return List.copyOf(new LinkedHashSet<>(ids));
    }
}
