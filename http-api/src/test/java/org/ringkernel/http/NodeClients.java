package org.ringkernel.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The Node clients of src/test/node, which check the server against independent implementations of its
 * protocols: copied into target/node-interop with their packages installed by {@code npm ci}. A test using them
 * is skipped, saying why, where {@code node} or {@code npm} is missing or npm cannot install the packages (e.g.
 * no registry).
 */
public final class NodeClients {
    private static final Path SOURCES = Path.of("src/test/node");
    private static final Path WORK = Path.of("target/node-interop");
    private static final List<String> FILES = List.of("oip-client.mjs", "arrow-client.mjs",
            "open_inference_v2.proto", "package.json", "package-lock.json");
    private static final Duration INSTALL_LIMIT = Duration.ofMinutes(5);

    /** What a client printed, and its exit status. */
    public record Result(int status, String out, String err) {
    }

    private NodeClients() {
    }

    /**
     * Copies the clients and installs their packages unless {@code module} is installed already.
     *
     * @throws org.opentest4j.TestAbortedException where node or npm is missing or the install fails
     */
    public static void prepare(String module) throws IOException {
        Assumptions.assumeTrue(runs("node", "--version"), "node is not installed; the Node interop test needs it");
        Assumptions.assumeTrue(runs("npm", "--version"), "npm is not installed; the Node interop test needs it");
        Files.createDirectories(WORK);
        for (String file : FILES) {
            Files.copy(SOURCES.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(WORK.resolve("node_modules").resolve(module))) {
            Result install = run(INSTALL_LIMIT, "npm", "ci", "--no-audit", "--no-fund");
            Assumptions.assumeTrue(install.status == 0,
                    () -> "npm could not install the client's packages (exit " + install.status + "): " + install.err);
        }
    }

    private static boolean runs(String... command) {
        try {
            return run(Duration.ofSeconds(30), command).status == 0;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /**
     * Runs {@code command} in the clients' folder; its output goes to files, so that neither pipe can fill and
     * block it.
     */
    public static Result run(Duration limit, String... command) {
        try {
            Files.createDirectories(WORK);
            Path out = Files.createTempFile(WORK, "out", ".txt");
            Path err = Files.createTempFile(WORK, "err", ".txt");
            Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(WORK.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + limit);
            }
            Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
