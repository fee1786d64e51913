package org.ringkernel.server.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files the configuration tests write under their temporary working directories, and the repository's conf/. */
final class TestFiles {
    /** The repository's conf/ directory; Maven runs a module's tests in the module's directory. */
    static final Path REPOSITORY = Path.of("..");
    static final Path CONF = REPOSITORY.resolve("conf");

    private TestFiles() {
    }

    static Path write(Path dir, String relative, String content) {
        Path file = dir.resolve(relative);
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
