package org.ringkernel.http;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium}, run headless to load a page and hand back the DOM its scripts built, or a
 * screenshot. Each run gets a fresh profile directory; {@code --no-sandbox} because CI runs as root.
 */
final class HeadlessChromium {
    private static final List<String> NAMES = List.of("chromium", "chromium-browser");

    private final Path binary;
    private final Path workDir;
    private int runs;

    private HeadlessChromium(Path binary, Path workDir) {
        this.binary = binary;
        this.workDir = workDir;
    }

    /** The browser on the {@code PATH}, with {@code workDir} for its profiles and logs; empty where none is. */
    static Optional<HeadlessChromium> find(Path workDir) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            for (String name : NAMES) {
                Path candidate = Path.of(dir, name);
                if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                    return Optional.of(new HeadlessChromium(candidate, workDir));
                }
            }
        }
        return Optional.empty();
    }

    /** The page's DOM after its scripts ran for {@code virtualMillis} of the browser's virtual time. */
    String dumpDom(URI page, int virtualMillis) {
        Path out = run(List.of("--virtual-time-budget=" + virtualMillis, "--dump-dom", page.toString()));
        try {
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Saves a {@code width} × {@code height} screenshot of the page to {@code png}. */
    void screenshot(URI page, int virtualMillis, Path png, int width, int height) {
        run(List.of("--virtual-time-budget=" + virtualMillis, "--hide-scrollbars",
                "--window-size=" + width + "," + height, "--screenshot=" + png.toAbsolutePath(), page.toString()));
        if (!Files.isRegularFile(png)) {
            throw new AssertionError("chromium wrote no screenshot to " + png);
        }
    }

    private Path run(List<String> arguments) {
        int run = ++runs;
        Path out = workDir.resolve("chromium-" + run + ".out");
        Path log = workDir.resolve("chromium-" + run + ".log");
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--user-data-dir=" + workDir.resolve("profile-" + run)));
        command.addAll(arguments);
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
            if (!process.waitFor(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("chromium did not finish within " + TestServer.WAIT + "; its log: " + log);
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("chromium exited with " + process.exitValue() + ": "
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while chromium ran", e);
        }
    }
}
