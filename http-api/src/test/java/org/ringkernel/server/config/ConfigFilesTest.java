package org.ringkernel.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.server.config.TestFiles.write;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringkernel.actors.BatchingMode;

class ConfigFilesTest {
    @TempDir
    Path dir;

    private Config load(String... args) {
        return ServerConfig.load(List.of(args), Map.of(), dir);
    }

    @Test
    void aHoconConfigFileIsReadWithItsIncludes() {
        write(dir, "prod/http.conf", "ringkernel.http.port = 8443\n");
        write(dir, "prod/server.conf", """
                include "http.conf"
                ringkernel {
                  batching { mode = fixed-delay, max-delay = 1ms }
                }
                """);

        Config config = load("--config", "prod/server.conf");

        assertEquals(8443, config.getInt("ringkernel.http.port"));
        assertEquals(BatchingMode.FIXED_DELAY, ServerConfig.validate(config).kernels().batching().mode());
    }

    @Test
    void anUnknownKeyInAConfigFileIsNamedWithItsFile() {
        write(dir, "server.conf", "ringkernel { http { prot = 9000 } }\n");

        ConfigLoadException e = assertThrows(ConfigLoadException.class, () -> load("--config", "server.conf"));

        assertEquals(dir.resolve("server.conf") + ": ringkernel.http.prot is not a configuration key"
                + " (each key is documented in the modules' reference.conf)", e.getMessage());
    }

    @Test
    void aSectionThatIsEmptyByDefaultTakesKeysOfTheOperatorsChoosing() {
        write(dir, "server.conf", "ringkernel.cluster { instances { matmul = 4 }, number-of-shards = 20 }\n");

        ServerSettings settings = ServerConfig.validate(load("--config", "server.conf"));

        assertEquals(4, settings.cluster().instancesOf("matmul"));
        assertEquals(20, settings.cluster().numberOfShards());
        write(dir, "other.conf", "ringkernel.cluster { number-of-shard = 20 }\n");
        ConfigLoadException e = assertThrows(ConfigLoadException.class, () -> load("--config", "other.conf"));
        assertTrue(e.getMessage().endsWith("ringkernel.cluster.number-of-shard is not a configuration key"
                + " (each key is documented in the modules' reference.conf)"), e.getMessage());
    }

    @Test
    void anUnknownKeyInApplicationConfIsRejectedToo() {
        write(dir, "conf/application.conf", "ringkernel.memory.pool_size = 1 GiB\n");

        ConfigLoadException e = assertThrows(ConfigLoadException.class, () -> load());

        assertTrue(e.getMessage().startsWith(dir.resolve("conf/application.conf")
                + ": ringkernel.memory.pool_size is not a configuration key"), e.getMessage());
    }

    @Test
    void aMissingConfigFileIsNamed() {
        ConfigLoadException e = assertThrows(ConfigLoadException.class, () -> load("--config", "absent.toml"));
        assertEquals(dir.resolve("absent.toml") + ": no such file", e.getMessage());
    }

    @Test
    void aDirectoryIsNotAConfigFile() {
        write(dir, "settings.conf/inner.conf", "");
        ConfigLoadException e = assertThrows(ConfigLoadException.class, () -> load("--config", "settings.conf"));
        assertEquals(dir.resolve("settings.conf") + ": not a readable file", e.getMessage());
    }

    @Test
    void anUnsupportedExtensionIsRejected() {
        write(dir, "server.yaml", "ringkernel: {}\n");
        ConfigLoadException e = assertThrows(ConfigLoadException.class, () -> load("--config", "server.yaml"));
        assertEquals(dir.resolve("server.yaml") + ": expected a HOCON (.conf) or TOML (.toml) file", e.getMessage());
    }

    @Test
    void malformedHoconIsReportedWithTheFileAndLine() {
        write(dir, "conf/application.conf", "ringkernel {\n  http.port == 9\n}\n");
        ConfigLoadException e = assertThrows(ConfigLoadException.class, () -> load());
        assertTrue(e.getMessage().startsWith("cannot parse " + dir.resolve("conf/application.conf") + ": 2: "),
                e.getMessage());
    }

    @Test
    void anUnresolvableSubstitutionIsReported() {
        write(dir, "conf/application.conf", "ringkernel.http.port = ${ringkernel.http.tcp-port}\n");
        ConfigLoadException e = assertThrows(ConfigLoadException.class, () -> load());
        assertTrue(e.getMessage().startsWith("cannot resolve the configuration: "), e.getMessage());
        assertTrue(e.getMessage().contains("ringkernel.http.tcp-port"), e.getMessage());
    }
}
