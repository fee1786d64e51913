package org.ringkernel.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ringkernel.bridge.runtime.SettingsException;

/** The {@code ringkernel.cluster} section: its defaults, every bad value named by its path, and Pekko's keys from it. */
class ClusterSettingsTest {

    private static Config with(String hocon) {
        return ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve();
    }

    @Test
    void defaultsComeFromReferenceConf() {
        ClusterSettings settings = ClusterSettings.fromConfig(with(""));
        assertFalse(settings.enabled());
        assertEquals(List.of("gpu"), settings.roles());
        assertTrue(settings.hostsKernels());
        assertEquals("127.0.0.1", settings.hostname());
        assertEquals(2551, settings.port());
        assertEquals(List.of(), settings.seedNodes());
        assertEquals(100, settings.numberOfShards());
        assertEquals(2, settings.instancesPerKernel());
        assertEquals(Map.of(), settings.instances());
        assertEquals(2, settings.instancesOf("square"));
        assertEquals("keep-majority", settings.downingStrategy());
        assertEquals(Duration.ofSeconds(10), settings.stableAfter());
        assertEquals(4 << 20, settings.maxMessageBytes());
        assertEquals(Duration.ofSeconds(1), settings.viewRefresh());
        assertEquals(Duration.ofSeconds(1), settings.resendAfter());
    }

    @Test
    void seedNodesAndInstancesPerKernelAreRead() {
        ClusterSettings settings = ClusterSettings.fromConfig(with("""
                ringkernel.cluster {
                  roles = [ingress]
                  seed-nodes = ["10.0.0.1:2551", " gpu-b.example:2552 "]
                  instances { square = 4, matmul = 1 }
                }
                """));
        assertFalse(settings.hostsKernels());
        assertEquals(List.of(new ClusterSettings.SeedNode("10.0.0.1", 2551),
                new ClusterSettings.SeedNode("gpu-b.example", 2552)), settings.seedNodes());
        assertEquals(4, settings.instancesOf("square"));
        assertEquals(1, settings.instancesOf("matmul"));
        assertEquals(2, settings.instancesOf("echo"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ringkernel.cluster.seed-nodes = [localhost] | ringkernel.cluster.seed-nodes",
        "ringkernel.cluster.seed-nodes = [\"127.0.0.1:0\"] | ringkernel.cluster.seed-nodes",
        "ringkernel.cluster.seed-nodes = [\"127.0.0.1:65536\"] | ringkernel.cluster.seed-nodes",
        "ringkernel.cluster.seed-nodes = [\"127.0.0.1:port\"] | ringkernel.cluster.seed-nodes",
        "ringkernel.cluster.seed-nodes = [\"pekko://x@h:1\"] | ringkernel.cluster.seed-nodes",
        "ringkernel.cluster.roles = [gpu, cpu] | ringkernel.cluster.roles",
        "ringkernel.cluster.roles = [] | ringkernel.cluster.roles",
        "ringkernel.cluster.hostname = \" \" | ringkernel.cluster.hostname",
        "ringkernel.cluster.port = 65536 | ringkernel.cluster.port",
        "ringkernel.cluster.number-of-shards = 0 | ringkernel.cluster.number-of-shards",
        "ringkernel.cluster.instances-per-kernel = 0 | ringkernel.cluster.instances-per-kernel",
        "ringkernel.cluster.instances { square = 0 } | ringkernel.cluster.instances.\"square\"",
        "ringkernel.cluster.split-brain-resolver.active-strategy = static-quorum"
                + " | ringkernel.cluster.split-brain-resolver.active-strategy",
        "ringkernel.cluster.split-brain-resolver.stable-after = 0s | ringkernel.cluster.split-brain-resolver.stable-after",
        "ringkernel.cluster.max-message-size = 16 KiB | ringkernel.cluster.max-message-size",
        "ringkernel.cluster.max-message-size = 128 MiB | ringkernel.cluster.max-message-size",
        "ringkernel.cluster.view-refresh = 0ms | ringkernel.cluster.view-refresh",
        "ringkernel.cluster.resend-after = soon | ringkernel.cluster.resend-after",
    })
    void eachBadValueIsNamedByItsPath(String hocon, String path) {
        SettingsException e = assertThrows(SettingsException.class, () -> ClusterSettings.fromConfig(with(hocon)));
        assertEquals(path, e.path(), e.getMessage());
        assertTrue(e.getMessage().startsWith(path + ": expected "), e.getMessage());
    }

    @Test
    void aBadSeedNodeIsQuotedInTheMessage() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> ClusterSettings.fromConfig(with("ringkernel.cluster.seed-nodes = [\"127.0.0.1:2551\", localhost]")));
        assertEquals("ringkernel.cluster.seed-nodes: expected host:port of each seed node, as in 127.0.0.1:2551,"
                + " got 'localhost'", e.getMessage());
    }

    @Test
    void anUnknownRoleIsNamedInTheMessage() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> ClusterSettings.fromConfig(with("ringkernel.cluster.roles = [gpu, cpu]")));
        assertTrue(e.getMessage().endsWith("got 'cpu'"), e.getMessage());
    }

    @Test
    void clusteringOnSetsPekkosClusterKeys() {
        Config config = ClusterSystemConfig.apply(with("""
                ringkernel.cluster {
                  enabled = on
                  hostname = "10.1.2.3"
                  port = 25520
                  roles = [gpu, ingress]
                  number-of-shards = 30
                  max-message-size = 8 MiB
                  split-brain-resolver { active-strategy = keep-oldest, stable-after = 7s }
                }
                """));
        assertEquals("cluster", config.getString("pekko.actor.provider"));
        assertEquals("10.1.2.3", config.getString("pekko.remote.artery.canonical.hostname"));
        assertEquals(25520, config.getInt("pekko.remote.artery.canonical.port"));
        assertEquals(List.of("gpu", "ingress"), config.getStringList("pekko.cluster.roles"));
        assertEquals(30, config.getInt("pekko.cluster.sharding.number-of-shards"));
        assertEquals(8L << 20, config.getBytes("pekko.remote.artery.advanced.maximum-frame-size"));
        assertEquals("none", config.getString("pekko.cluster.sharding.passivation.strategy"));
        assertEquals("keep-oldest", config.getString("pekko.cluster.split-brain-resolver.active-strategy"));
        assertEquals(Duration.ofSeconds(7), config.getDuration("pekko.cluster.split-brain-resolver.stable-after"));
    }

    @Test
    void clusteringOnTakesPortZero() {
        Config config = ClusterSystemConfig.apply(with("ringkernel.cluster { enabled = on, port = 0 }"));
        assertEquals(0, config.getInt("pekko.remote.artery.canonical.port"));
    }

    @Test
    void clusteringOffLeavesTheConfigurationAlone() {
        Config config = with("ringkernel.cluster.port = 25520");
        assertSame(config, ClusterSystemConfig.apply(config));
    }

    @Test
    void aBadValueStopsApplyToo() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> ClusterSystemConfig.apply(with("ringkernel.cluster { enabled = on, number-of-shards = 0 }")));
        assertEquals("ringkernel.cluster.number-of-shards", e.path());
    }
}
