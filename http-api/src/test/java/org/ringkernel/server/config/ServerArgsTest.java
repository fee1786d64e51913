package org.ringkernel.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerArgsTest {

    @Test
    void noArgumentsMeansNoConfigFileAndNoHelp() {
        assertEquals(new ServerArgs(Optional.empty(), false), ServerArgs.parse(List.of()));
    }

    @Test
    void configTakesTheNextArgumentOrTheValueAfterTheEqualsSign() {
        assertEquals(Optional.of(Path.of("conf/app.toml")),
                ServerArgs.parse(List.of("--config", "conf/app.toml")).configFile());
        assertEquals(Optional.of(Path.of("prod.conf")), ServerArgs.parse(List.of("--config=prod.conf")).configFile());
    }

    @Test
    void helpIsRecognisedInItsLongAndShortForms() {
        assertTrue(ServerArgs.parse(List.of("--help")).help());
        assertTrue(ServerArgs.parse(List.of("-h")).help());
        assertFalse(ServerArgs.parse(List.of("--config", "a.conf")).help());
        assertTrue(ServerArgs.usage().contains("--config FILE"));
    }

    @Test
    void anUnknownOptionIsNamedWithTheOptionsThereAre() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerArgs.parse(List.of("--port", "9000")));
        assertEquals("unknown option '--port'; options: --config FILE, --help", e.getMessage());
    }

    @Test
    void configWithoutAFileIsRejected() {
        for (List<String> args : List.of(List.of("--config"), List.of("--config="), List.of("--config", "--help"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerArgs.parse(args));
            assertEquals("--config needs a file; options: --config FILE, --help", e.getMessage(), args.toString());
        }
    }

    @Test
    void configGivenTwiceIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerArgs.parse(List.of("--config", "a.conf", "--config=b.toml")));
        assertEquals("--config given more than once; options: --config FILE, --help", e.getMessage());
    }

    @Test
    void loadRejectsUnknownArguments(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(List.of("serve"), Map.of(), dir));
    }
}
