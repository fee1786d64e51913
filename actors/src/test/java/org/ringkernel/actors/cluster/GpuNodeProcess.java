package org.ringkernel.actors.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.ringkernel.actors.RingKernels;

/**
 * A gpu node in a process of its own, so that a test can kill it as {@code kill -9} would: {@link #main} joins the
 * cluster whose seed node listens on the given port, prints {@code UP <address>} once it is up, and runs until
 * killed.
 */
final class GpuNodeProcess implements AutoCloseable {
    private final Process process;
    private final String address;

    private GpuNodeProcess(Process process, String address) {
        this.process = process;
        this.address = address;
    }

    /** Starts the node, joining the seed node on {@code seedPort}, with {@code hocon} over the test defaults. */
    static GpuNodeProcess start(int seedPort, String hocon) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                GpuNodeProcess.class.getName(), Integer.toString(seedPort), hocon)
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("UP ")) {
                String address = line.substring(3);
                Thread drain = new Thread(() -> out.lines().forEach(ignored -> { }), "gpu-node-output");
                drain.setDaemon(true);
                drain.start();
                return new GpuNodeProcess(process, address);
            }
        }
        throw new IOException("the gpu node process ended before it was up");
    }

    String address() {
        return address;
    }

    /** Kills the process with SIGKILL: no shutdown hooks, no leaving, connections reset. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    public static void main(String[] args) throws Exception {
        Config config = ClusterNodes.nodeConfig("gpu", "[\"127.0.0.1:" + args[0] + "\"]", args[1]);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), ClusterNodes.SYSTEM_NAME,
                ClusterSystemConfig.apply(config));
        RingKernels.get(system);
        CountDownLatch up = new CountDownLatch(1);
        org.apache.pekko.cluster.Cluster.get(system.classicSystem()).registerOnMemberUp(up::countDown);
        if (!up.await(ClusterNodes.WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            System.exit(1);
        }
        System.out.println("UP " + Cluster.get(system).selfMember().address());
        System.out.flush();
        system.getWhenTerminated().toCompletableFuture().get();
    }
}
