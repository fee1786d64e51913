package org.ringkernel.actors.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * Pekko's cluster keys derived from {@code ringkernel.cluster}, to lay over the configuration an actor system
 * is created with. Pekko reads its provider and remoting address when the system starts, before any
 * extension could set them, so this happens ahead of {@code ActorSystem.create}:
 *
 * <pre>{@code
 * Config config = ClusterSystemConfig.apply(ConfigFactory.load());
 * ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "ringkernel", config);
 * }</pre>
 *
 * <p>Seed nodes are joined by the {@code RingKernels} extension, which knows the system's name.
 */
public final class ClusterSystemConfig {
    private ClusterSystemConfig() {
    }

    /**
     * {@code config} with Pekko's cluster keys set from its {@code ringkernel.cluster} section; unchanged when
     * clustering is off.
     *
     * @throws org.ringkernel.bridge.runtime.SettingsException naming the first bad key of the section
     */
    public static Config apply(Config config) {
        ClusterSettings settings = ClusterSettings.fromConfig(config.withFallback(ConfigFactory.defaultReference()));
        if (!settings.enabled()) {
            return config;
        }
        return pekkoKeys(settings).withFallback(config);
    }

    static Config pekkoKeys(ClusterSettings settings) {
        Map<String, Object> keys = new HashMap<>();
        keys.put("pekko.actor.provider", "cluster");
        keys.put("pekko.remote.artery.canonical.hostname", settings.hostname());
        keys.put("pekko.remote.artery.canonical.port", settings.port());
        keys.put("pekko.remote.artery.advanced.maximum-frame-size", settings.maxMessageBytes() + "b");
        keys.put("pekko.cluster.roles", settings.roles());
        keys.put("pekko.cluster.sharding.number-of-shards", settings.numberOfShards());
        keys.put("pekko.cluster.sharding.rebalance-interval", settings.rebalanceInterval().toMillis() + "ms");
        // An entity owns a running kernel: it is never stopped for being idle, only handed off (draining first).
        keys.put("pekko.cluster.sharding.passivation.strategy", "none");
        keys.put("pekko.cluster.downing-provider-class", "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider");
        keys.put("pekko.cluster.split-brain-resolver.active-strategy", settings.downingStrategy());
        keys.put("pekko.cluster.split-brain-resolver.stable-after", settings.stableAfter().toMillis() + "ms");
        return ConfigFactory.parseMap(keys, "ringkernel.cluster");
    }
}
