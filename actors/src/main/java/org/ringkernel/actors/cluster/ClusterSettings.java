package org.ringkernel.actors.cluster;

import static org.ringkernel.bridge.runtime.SettingsReader.require;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ringkernel.bridge.runtime.DurationLimit;
import org.ringkernel.bridge.runtime.SettingsReader;

/**
 * The {@code ringkernel.cluster} section, read once and checked; every key is documented in this module's
 * {@code reference.conf}.
 *
 * @param enabled whether kernels are sharded over a cluster
 * @param roles this node's roles, a subset of {@link #KNOWN_ROLES}
 * @param hostname the address other nodes reach this node at
 * @param port the remoting port, 0 for any free one
 * @param seedNodes the nodes to join, as host and port
 * @param numberOfShards shards of the kernel entities
 * @param rebalanceInterval how often shards move towards the gpu nodes that hold fewest
 * @param instancesPerKernel entities per kernel, unless {@code instances} names the kernel
 * @param instances entities per kernel, by kernel id
 * @param downingStrategy the split-brain resolver's strategy
 * @param stableAfter how long the cluster must look the same before the resolver acts
 * @param maxMessageBytes the largest message between two nodes
 * @param viewRefresh how often the placement of entities is gathered
 * @param resendAfter how long a router waits for an entity to acknowledge a request before sending it again
 */
public record ClusterSettings(boolean enabled, List<String> roles, String hostname, int port, List<SeedNode> seedNodes,
                              int numberOfShards, Duration rebalanceInterval, int instancesPerKernel,
                              Map<String, Integer> instances,
                              String downingStrategy, Duration stableAfter, int maxMessageBytes, Duration viewRefresh,
                              Duration resendAfter) {
    /** The role of nodes that host kernel entities. */
    public static final String GPU_ROLE = "gpu";
    /** The role of nodes that take requests and host nothing. */
    public static final String INGRESS_ROLE = "ingress";
    /** The roles a node may take. */
    public static final Set<String> KNOWN_ROLES = Set.of(GPU_ROLE, INGRESS_ROLE);
    private static final Set<String> STRATEGIES = Set.of("keep-majority", "keep-oldest", "down-all");
    private static final String PATH = "ringkernel.cluster.";

    /** A node to join. */
    public record SeedNode(String host, int port) {
        /**
         * Reads {@code host:port}.
         *
         * @throws IllegalArgumentException saying what was expected
         */
        static SeedNode parse(String value) {
            String text = value.strip();
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1 || text.contains("/") || text.contains("@")) {
                throw new IllegalArgumentException("host:port of each seed node, as in 127.0.0.1:2551, got '" + value + "'");
            }
            int port;
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("host:port of each seed node with a port from 1 to 65535, got '"
                        + value + "'");
            }
            return new SeedNode(text.substring(0, colon), port);
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** Copies the lists and the map. */
    public ClusterSettings {
        roles = List.copyOf(roles);
        seedNodes = List.copyOf(seedNodes);
        instances = Map.copyOf(instances);
    }

    /**
     * @throws org.ringkernel.bridge.runtime.SettingsException naming the first bad key and what was expected
     */
    public static ClusterSettings fromConfig(Config config) {
        SettingsReader read = new SettingsReader(config);
        boolean enabled = read.bool(PATH + "enabled");
        List<String> roles = read.strings(PATH + "roles").stream().map(String::strip).toList();
        for (String role : roles) {
            require(KNOWN_ROLES.contains(role), PATH + "roles", "roles among " + GPU_ROLE + " and " + INGRESS_ROLE
                    + ", got '" + role + "'");
        }
        require(!roles.isEmpty(), PATH + "roles", "at least one role (" + GPU_ROLE + " or " + INGRESS_ROLE + ")");
        String hostname = read.string(PATH + "hostname").strip();
        require(!hostname.isEmpty(), PATH + "hostname", "the host name or address other nodes reach this node at");
        int port = read.integer(PATH + "port", 0, 65_535);
        List<SeedNode> seeds = read.strings(PATH + "seed-nodes").stream()
                .map(seed -> SettingsReader.parse(PATH + "seed-nodes", () -> SeedNode.parse(seed))).toList();
        int shards = read.integer(PATH + "number-of-shards", 1, 100_000);
        Duration rebalance = read.positiveDuration(PATH + "rebalance-interval", DurationLimit.NANO_CLOCK);
        int perKernel = read.integer(PATH + "instances-per-kernel", 1, 1024);
        Map<String, Integer> instances = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> entry : config.getConfig(PATH + "instances").root().entrySet()) {
            instances.put(entry.getKey(), read.integer(PATH + "instances." + quoted(entry.getKey()), 1, 1024));
        }
        String strategy = read.string(PATH + "split-brain-resolver.active-strategy").strip();
        require(STRATEGIES.contains(strategy), PATH + "split-brain-resolver.active-strategy",
                "one of " + String.join(", ", STRATEGIES.stream().sorted().toList()) + ", got '" + strategy + "'");
        Duration stableAfter = read.positiveDuration(PATH + "split-brain-resolver.stable-after", DurationLimit.NANO_CLOCK);
        long maxMessage = read.bytes(PATH + "max-message-size");
        require(maxMessage >= 64 * 1024 && maxMessage <= 64L * 1024 * 1024, PATH + "max-message-size",
                "64 KiB to 64 MiB, got " + maxMessage + " bytes");
        Duration refresh = read.positiveDuration(PATH + "view-refresh", DurationLimit.NANO_CLOCK);
        Duration resend = read.positiveDuration(PATH + "resend-after", DurationLimit.NANO_CLOCK);
        return new ClusterSettings(enabled, roles, hostname, port, seeds, shards, rebalance, perKernel, instances,
                strategy, stableAfter, (int) maxMessage, refresh, resend);
    }

    private static String quoted(String key) {
        return "\"" + key + "\"";
    }

    /** Whether this node hosts kernel entities. */
    public boolean hostsKernels() {
        return roles.contains(GPU_ROLE);
    }

    /** Entities of kernel {@code kernelId}. */
    public int instancesOf(String kernelId) {
        return instances.getOrDefault(kernelId, instancesPerKernel);
    }
}
