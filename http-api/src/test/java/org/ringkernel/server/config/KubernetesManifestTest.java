package org.ringkernel.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** conf/kubernetes/: the probes, the GPU, the memory bounds and the shutdown grace the server relies on. */
class KubernetesManifestTest {
    private static final Path KUBERNETES = TestFiles.CONF.resolve("kubernetes");
    private static final String DEPLOYMENT = TestFiles.read(KUBERNETES.resolve("deployment.yaml"));
    /** The JVM's own memory beside heap and direct memory: metaspace, code, GC structures, threads (~200 MiB). */
    private static final long JVM_NATIVE_BYTES = 256L << 20;

    @Test
    void livenessProbesHealthAndReadinessProbesReadyOnTheManagementPort() {
        assertTrue(Pattern.compile("livenessProbe:\\s+httpGet:\\s+path: /health\\s+port: management\\s")
                .matcher(DEPLOYMENT).find());
        assertTrue(Pattern.compile("readinessProbe:\\s+httpGet:\\s+path: /ready\\s+port: management\\s")
                .matcher(DEPLOYMENT).find());
        assertTrue(Pattern.compile("startupProbe:\\s+httpGet:\\s+path: /health\\s+port: management\\s")
                .matcher(DEPLOYMENT).find());
        long port = ConfigFactory.defaultReference().getLong("ringkernel.http.management.port");
        assertTrue(Pattern.compile("- name: management\\s+containerPort: " + port + "\\s").matcher(DEPLOYMENT).find(),
                "the management port is ringkernel.http.management.port, " + port);
    }

    @Test
    void theContainerRequestsAGpuAndRunsTheServerJar() {
        assertTrue(Pattern.compile("limits:[^\\n]*\\n(\\s+[\\w.]+: .+\\n)*\\s+nvidia.com/gpu: 1\\n")
                .matcher(DEPLOYMENT).find(), "nvidia.com/gpu: 1 under resources.limits");
        assertTrue(DEPLOYMENT.contains("\"-jar\", \"/app/ringkernel-server.jar\""));
        assertTrue(DEPLOYMENT.contains("containerPort: 8080"));
    }

    @Test
    void theJvmBoundsHeapAndDirectMemoryWithinTheContainersLimit() {
        List<String> command = command();
        assertFalse(command.stream().anyMatch(o -> o.contains("RAMPercentage")), "a heap relative to the limit "
                + "leaves no room for direct memory: " + command);
        long heap = JvmMemory.option(command, "-Xmx").orElseThrow(() -> new AssertionError("no -Xmx: " + command));
        long direct = JvmMemory.option(command, "-XX:MaxDirectMemorySize=")
                .orElseThrow(() -> new AssertionError("no -XX:MaxDirectMemorySize: " + command));
        long limit = memory("limits");
        assertEquals(limit, memory("requests"), "requests.memory equals limits.memory, so the pod is not evicted "
                + "for memory it was promised");
        assertTrue(heap + direct + JVM_NATIVE_BYTES <= limit, "heap " + heap + " + direct " + direct
                + " + the JVM's own " + JVM_NATIVE_BYTES + " exceed the limit " + limit);
        assertTrue(JvmMemory.kernelsDirectMemory() <= direct, "the default kernels need "
                + JvmMemory.kernelsDirectMemory() + " bytes of direct memory, the manifest allows " + direct);
    }

    @Test
    void theGracePeriodOutlastsTheShutdownDeadline() {
        Matcher grace = Pattern.compile("terminationGracePeriodSeconds: (\\d+)").matcher(DEPLOYMENT);
        assertTrue(grace.find());
        long deadline = ConfigFactory.defaultReference().getDuration("ringkernel.http.shutdown-deadline").toSeconds();
        assertTrue(Long.parseLong(grace.group(1)) > deadline, grace.group(1) + "s <= " + deadline + "s");
    }

    @Test
    void theServiceSelectsTheDeploymentsPods() {
        String service = TestFiles.read(KUBERNETES.resolve("service.yaml"));
        assertTrue(service.contains("kind: Service"));
        assertTrue(service.contains("app.kubernetes.io/name: ringkernel-server"));
        assertTrue(DEPLOYMENT.contains("app.kubernetes.io/name: ringkernel-server"));
    }

    /** The container's command, one element per option. */
    private static List<String> command() {
        Matcher command = Pattern.compile("command: \\[([^\\]]*)\\]").matcher(DEPLOYMENT);
        assertTrue(command.find(), "a command: [...] in the deployment");
        return Arrays.stream(command.group(1).split(","))
                .map(part -> part.strip().replace("\"", ""))
                .toList();
    }

    /** resources.{section}.memory of the container, in bytes. */
    private static long memory(String section) {
        Matcher memory = Pattern.compile(section + ":\\n(?:\\s+[\\w./]+: .+\\n)*?\\s+memory: (\\d+)([MG])i\\n")
                .matcher(DEPLOYMENT);
        assertTrue(memory.find(), "resources." + section + ".memory in Mi or Gi");
        return Long.parseLong(memory.group(1)) << (memory.group(2).equals("G") ? 30 : 20);
    }
}
