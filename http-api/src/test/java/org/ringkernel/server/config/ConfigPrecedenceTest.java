package org.ringkernel.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ringkernel.server.config.TestFiles.write;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigPrecedenceTest {
    @TempDir
    Path dir;

    @Test
    void withoutFilesOrVariablesTheDefaultsApplyAndValidate() {
        ServerSettings settings = ServerConfig.validate(ServerConfig.load(List.of(), Map.of(), dir));
        assertEquals(8080, settings.http().port());
        assertEquals(1024, settings.kernels().bridge().instance().capacity());
        assertEquals(Duration.ofSeconds(5), settings.kernels().requestTimeout());
    }

    @Test
    void environmentBeatsConfigFileBeatsApplicationConfBeatsDefaults() {
        write(dir, "conf/application.conf", """
                ringkernel.http.port = 1001
                ringkernel.queue-capacity = 64
                ringkernel.request-timeout = 7s
                """);
        write(dir, "override.conf", """
                ringkernel.http.port = 1002
                ringkernel.queue-capacity = 128
                """);

        Config config = ServerConfig.load(List.of("--config", "override.conf"),
                Map.of("RINGKERNEL_HTTP_PORT", "1003"), dir);

        assertEquals(1003, config.getInt("ringkernel.http.port"));
        assertEquals(128, config.getInt("ringkernel.queue-capacity"));
        assertEquals(Duration.ofSeconds(7), config.getDuration("ringkernel.request-timeout"));
        assertEquals(256, config.getInt("ringkernel.kernel.block-size"));
    }

    @Test
    void aTomlConfigFileBeatsApplicationConf() {
        write(dir, "conf/application.conf", "ringkernel.queue-capacity = 64\n");
        write(dir, "app.toml", "queue_capacity = 4096\n");

        Config config = ServerConfig.load(List.of("--config=app.toml"), Map.of(), dir);

        assertEquals(4096, config.getInt("ringkernel.queue-capacity"));
    }

    @Test
    void aRelativeConfigFileIsFoundUnderTheWorkingDirectory() {
        write(dir, "settings/server.conf", "ringkernel.http.port = 1234\n");

        Config config = ServerConfig.load(List.of("--config", "settings/server.conf"), Map.of(), dir);

        assertEquals(1234, config.getInt("ringkernel.http.port"));
    }

    @Test
    void substitutionsInAFileResolveAgainstTheWholeConfiguration() {
        write(dir, "conf/application.conf", "ringkernel.batching.max-batch-size = ${ringkernel.kernel.max-batch-size}\n");

        Config config = ServerConfig.load(List.of(), Map.of("RINGKERNEL_KERNEL__MAX_BATCH_SIZE", "32"), dir);

        assertEquals(32, config.getInt("ringkernel.batching.max-batch-size"));
    }

    @Test
    void otherSectionsSuchAsPekkoAreLayeredToo() {
        write(dir, "conf/application.conf", "pekko.loglevel = DEBUG\n");

        Config config = ServerConfig.load(List.of(), Map.of(), dir);

        assertEquals("DEBUG", config.getString("pekko.loglevel"));
    }

    @Test
    void theRepositoryApplicationConfLoadsAndValidates() {
        ServerSettings settings = ServerConfig.validate(ServerConfig.load(List.of(), Map.of(), TestFiles.REPOSITORY));
        assertEquals(8080, settings.http().port());
        assertEquals("text", settings.http().logFormat());
    }
}
