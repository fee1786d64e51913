package org.ringkernel.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ringkernel.http.TestServer;

/**
 * The packaged server jar in a process of its own, started as an operator starts it ({@code java -jar}) in an
 * empty working directory, on 127.0.0.1 and free ports, CPU backend; its output is kept for the test to read.
 */
final class ServerProcess implements AutoCloseable {
    /** The jar Maven built; failsafe passes its path. */
    static final Path JAR = Path.of(System.getProperty("ringkernel.server.jar", "target/ringkernel-server.jar"));

    private static final Pattern LISTENING = Pattern.compile("ringkernel listening on (\\S+?),? (?:probes on (\\S+) )?\\(");
    private static final Pattern CLUSTER_NODE = Pattern.compile("cluster node pekko://[^@]+@[^:]+:(\\d+) with roles ");
    private static final Duration START = Duration.ofSeconds(60);

    private final Process process;
    private final List<String> output = new ArrayList<>();
    private final CompletableFuture<Matcher> listening = new CompletableFuture<>();
    private final CompletableFuture<Void> outputEnded = new CompletableFuture<>();

    private ServerProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::readOutput, "server-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the jar with {@code env} over the defaults below and waits until it listens. */
    static ServerProcess start(Map<String, String> env) throws IOException {
        Path workingDir = Files.createTempDirectory("ringkernel-server");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toAbsolutePath().toString())
                .directory(workingDir.toFile()).redirectErrorStream(true);
        Map<String, String> environment = new HashMap<>(Map.of("RINGKERNEL_BACKEND", "cpu",
                "RINGKERNEL_HTTP_PORT", "0", "RINGKERNEL_HTTP__INTERFACE", "127.0.0.1",
                "RINGKERNEL_HTTP__MANAGEMENT__PORT", "0", "RINGKERNEL_HTTP__MANAGEMENT__INTERFACE", "127.0.0.1",
                "RINGKERNEL_GRPC__PORT", "0", "RINGKERNEL_GRPC__INTERFACE", "127.0.0.1",
                "RINGKERNEL_KERNELS__START", "square"));
        environment.putAll(env);
        builder.environment().putAll(environment);
        ServerProcess server = new ServerProcess(builder.start());
        try {
            server.listening.get(START.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            server.process.destroyForcibly();
            throw new IllegalStateException("the server did not start listening; its output:\n" + server.output(), e);
        }
        return server;
    }

    /** The main port's URL. */
    String url() {
        return listening.join().group(1);
    }

    /** The management port's URL. */
    String probesUrl() {
        return listening.join().group(2);
    }

    /** Sends SIGTERM, as Kubernetes does to stop a pod (through the handle: Process.destroy closes the output). */
    void sigterm() {
        process.toHandle().destroy();
    }

    /** The exit status, once the process has ended within {@link TestServer#WAIT} and all its output is read. */
    int awaitExit() throws Exception {
        return awaitExit(TestServer.WAIT);
    }

    /** The exit status, once the process has ended within {@code patience} and all its output is read. */
    int awaitExit(Duration patience) throws Exception {
        if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the server did not exit; its output:\n" + output());
        }
        outputEnded.get(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return process.exitValue();
    }

    /** The port of its cluster node, as its start-up line names it. */
    int clusterPort() {
        String started = lines("ringkernel listening on").get(0);
        Matcher node = CLUSTER_NODE.matcher(started);
        if (!node.find()) {
            throw new AssertionError("the start-up line names no cluster node: " + started);
        }
        return Integer.parseInt(node.group(1));
    }

    /** Ends the process at once (SIGKILL), as a crash of its machine would. */
    void kill() {
        process.destroyForcibly();
    }

    /** Everything the process printed so far. */
    synchronized String output() {
        return String.join("\n", output);
    }

    /** The printed lines that contain {@code text}. */
    synchronized List<String> lines(String text) {
        return output.stream().filter(line -> line.contains(text)).toList();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private void readOutput() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                synchronized (this) {
                    output.add(line);
                }
                Matcher matcher = LISTENING.matcher(line);
                if (matcher.find()) {
                    listening.complete(matcher);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            listening.completeExceptionally(new IllegalStateException("the server's output ended"));
            outputEnded.complete(null);
        }
    }
}
