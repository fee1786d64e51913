package org.ringkernel.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringkernel.server.RingKernelServer;

/**
 * bin/ringkernel-server as operators and supervisors run it: explicit memory settings that the operator can
 * replace, the server's arguments unchanged, and java exec'd so that SIGTERM reaches the JVM. Most cases run
 * it over a stand-in for java that prints what it was given; one runs the real JVM with {@code --help}.
 */
class LauncherTest {
    private static final Path LAUNCHER = TestFiles.REPOSITORY.resolve("bin/ringkernel-server").toAbsolutePath();
    private static final long TIMEOUT_SECONDS = 60;
    /** Given whatever the options say: Arrow (the process route's Arrow format) needs it. */
    private static final String ADD_OPENS = "--add-opens=java.base/java.nio=ALL-UNNAMED";

    @TempDir
    Path dir;

    /** What one run of the launcher printed and how it ended. */
    private record Run(long pid, int exitCode, List<String> lines) {
        /** The stand-in java's pid line. */
        long javaPid() {
            return Long.parseLong(lines.stream().filter(l -> l.startsWith("pid ")).findFirst().orElseThrow()
                    .substring(4));
        }

        /** The arguments the stand-in java received, in order. */
        List<String> javaArgs() {
            return lines.stream().filter(l -> l.startsWith("arg ")).map(l -> l.substring(4)).toList();
        }

        /** The JVM options: every argument before -jar. */
        List<String> jvmOptions() {
            List<String> args = javaArgs();
            return args.subList(0, args.indexOf("-jar"));
        }

        String output() {
            return String.join("\n", lines);
        }
    }

    @Test
    void passesTheServersArgumentsUnchangedAfterTheMemorySettingsAndTheJar() throws Exception {
        Path jar = Files.createFile(dir.resolve("server.jar"));
        Run run = launch(withFakeJava(Map.of("RINGKERNEL_JAR", jar.toString())), "--config", "my app.conf");

        assertEquals(0, run.exitCode(), run.output());
        List<String> args = run.javaArgs();
        assertEquals(List.of("-jar", jar.toString(), "--config", "my app.conf"),
                args.subList(args.indexOf("-jar"), args.size()), run.output());
        assertTrue(JvmMemory.option(run.jvmOptions(), "-Xmx").isPresent(), run.output());
        assertTrue(JvmMemory.option(run.jvmOptions(), "-XX:MaxDirectMemorySize=").isPresent(), run.output());
        assertTrue(run.jvmOptions().contains(ADD_OPENS), run.output());
    }

    @Test
    void execsJavaSoThatSignalsReachTheJvm() throws Exception {
        Path jar = Files.createFile(dir.resolve("server.jar"));
        Run run = launch(withFakeJava(Map.of("RINGKERNEL_JAR", jar.toString())));

        assertEquals(0, run.exitCode(), run.output());
        assertEquals(run.pid(), run.javaPid(), "java runs in the launcher's own process, not in a child of it");
    }

    @Test
    void ringkernelJavaOptsReplaceTheDefaultsAndJavaOptsAddToThem() throws Exception {
        Path jar = Files.createFile(dir.resolve("server.jar"));
        Run replaced = launch(withFakeJava(Map.of("RINGKERNEL_JAR", jar.toString(),
                "RINGKERNEL_JAVA_OPTS", "-Xmx64m -Dringkernel.x=1", "JAVA_OPTS", "-Dringkernel.y=2")));
        assertEquals(List.of(ADD_OPENS, "-Xmx64m", "-Dringkernel.x=1", "-Dringkernel.y=2"), replaced.jvmOptions(),
                replaced.output());

        Run added = launch(withFakeJava(Map.of("RINGKERNEL_JAR", jar.toString(), "JAVA_OPTS", "-Xmx2g")));
        List<String> options = added.jvmOptions();
        assertEquals("-Xmx2g", options.get(options.size() - 1), added.output());
        assertEquals(2L << 30, JvmMemory.option(options, "-Xmx").orElseThrow(), "the later -Xmx wins");

        Run jvmDefaults = launch(withFakeJava(Map.of("RINGKERNEL_JAR", jar.toString(), "RINGKERNEL_JAVA_OPTS", "")));
        assertEquals(List.of(ADD_OPENS), jvmDefaults.jvmOptions(), "the JVM's defaults, and java.nio opened: "
                + jvmDefaults.output());
    }

    @Test
    void theDefaultDirectMemoryHoldsEveryDefaultKernelsArenaAndRings() throws Exception {
        Path jar = Files.createFile(dir.resolve("server.jar"));
        Run run = launch(withFakeJava(Map.of("RINGKERNEL_JAR", jar.toString())));

        long direct = JvmMemory.option(run.jvmOptions(), "-XX:MaxDirectMemorySize=").orElseThrow();
        long kernels = JvmMemory.kernelsDirectMemory();
        assertTrue(kernels <= direct, "the default kernels need " + kernels + " bytes of direct memory, the launcher "
                + "allows " + direct);
    }

    @Test
    void aMissingJarExitsWith2SayingHowToBuildIt() throws Exception {
        Run run = launch(withFakeJava(Map.of("RINGKERNEL_JAR", dir.resolve("absent.jar").toString())));

        assertEquals(2, run.exitCode(), run.output());
        assertTrue(run.output().contains("no server jar (" + dir.resolve("absent.jar") + ")"), run.output());
        assertTrue(run.output().contains("mvn -B -DskipTests package"), run.output());
        assertTrue(run.javaArgs().isEmpty(), run.output());
    }

    @Test
    void theRealServerPrintsItsUsageThroughTheLauncher() throws Exception {
        Run run = launch(Map.of("RINGKERNEL_JAR", serverJarOverTheTestClasspath().toString(),
                "JAVA_HOME", System.getProperty("java.home")), "--help");

        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().startsWith("usage: java -jar ringkernel-server.jar [--config FILE] [--help]"),
                run.output());
    }

    /** Runs the launcher from {@code dir} with {@code env} on top of this process's environment. */
    private Run launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("sh", LAUNCHER.toString()));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeAll(List.of("JAVA_HOME", "JAVA_OPTS", "RINGKERNEL_JAVA_OPTS",
                "RINGKERNEL_JAR"));
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("the launcher did not end within " + TIMEOUT_SECONDS + " s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(process.pid(), process.exitValue(), output.lines().toList());
    }

    /** {@code env} plus a JAVA_HOME whose java prints its process id and then each argument on a line. */
    private Map<String, String> withFakeJava(Map<String, String> env) throws IOException {
        Path java = dir.resolve("jdk/bin/java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, "#!/bin/sh\necho \"pid $$\"\nfor a in \"$@\"; do echo \"arg $a\"; done\n");
        assertTrue(java.toFile().setExecutable(true));
        Map<String, String> withJava = new HashMap<>(env);
        withJava.put("JAVA_HOME", dir.resolve("jdk").toString());
        return withJava;
    }

    /**
     * A jar that runs the server's main over this test's classpath, standing in for the shaded jar, which the
     * build packages only after the tests.
     */
    private Path serverJarOverTheTestClasspath() throws IOException {
        Manifest manifest = new Manifest();
        Attributes attributes = manifest.getMainAttributes();
        attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.put(Attributes.Name.MAIN_CLASS, RingKernelServer.class.getName());
        attributes.put(Attributes.Name.CLASS_PATH, Arrays.stream(System.getProperty("java.class.path")
                        .split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toUri().toString())
                .collect(Collectors.joining(" ")));
        Path jar = dir.resolve("server.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.flush();
        }
        return jar;
    }
}
