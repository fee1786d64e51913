package org.ringkernel.server.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** conf/kubernetes/: the probes, the GPU and the shutdown grace the server relies on. */
class KubernetesManifestTest {
    private static final Path KUBERNETES = TestFiles.CONF.resolve("kubernetes");
    private static final String DEPLOYMENT = TestFiles.read(KUBERNETES.resolve("deployment.yaml"));

    @Test
    void livenessProbesHealthAndReadinessProbesReady() {
        assertTrue(Pattern.compile("livenessProbe:\\s+httpGet:\\s+path: /health\\s").matcher(DEPLOYMENT).find());
        assertTrue(Pattern.compile("readinessProbe:\\s+httpGet:\\s+path: /ready\\s").matcher(DEPLOYMENT).find());
    }

    @Test
    void theContainerRequestsAGpuAndRunsTheServerJar() {
        assertTrue(Pattern.compile("limits:[^\\n]*\\n(\\s+[\\w.]+: .+\\n)*\\s+nvidia.com/gpu: 1\\n")
                .matcher(DEPLOYMENT).find(), "nvidia.com/gpu: 1 under resources.limits");
        assertTrue(DEPLOYMENT.contains("\"-jar\", \"/app/ringkernel-server.jar\""));
        assertTrue(DEPLOYMENT.contains("containerPort: 8080"));
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
}
