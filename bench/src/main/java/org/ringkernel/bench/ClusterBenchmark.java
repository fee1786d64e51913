package org.ringkernel.bench;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.bridge.kernel.KernelRequest;

/**
 * {@code square} with 16 floats per request, through {@link KernelRef#process} as an application calls it, for
 * <ul>
 *   <li>{@code cluster}: from an ingress-only node through the shard region to two {@code gpu} nodes, each hosting
 *   one of the kernel's two entities (three actor systems in this JVM on 127.0.0.1, Artery TCP between them,
 *   Jackson CBOR on the wire);</li>
 *   <li>{@code local}: the kernel's {@link KernelRef} on one node with clustering off.</li>
 * </ul>
 * Throughput keeps {@link #WINDOW} requests in flight on both sides, so both batch; {@code lone} is the round trip
 * of one request at a time, whose p50 difference is what the remote hop adds.
 */
// Longer than the other benchmarks' warm-up: the JIT needs several seconds for the path through three nodes.
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
// Pekko's remoting queues come from Agrona, here the version the ring benchmark pins, which reads Unsafe this way.
@Fork(value = 2, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@State(Scope.Benchmark)
public class ClusterBenchmark {
    static final int REQUESTS = 5_000;
    /** Requests in flight: enough to fill batches of 64 on each entity, well within the wait queue. */
    static final int WINDOW = 256;
    private static final String KERNEL = "square";
    /**
     * Both sides' settings. The window bounds every queue, so admission control has nothing to protect here, but an
     * entity takes its node's requests in bursts of up to a whole window, and while the path is cold its drain rate
     * predicts more than the default one-second budget for such a burst and refuses it; the queue-time budget is
     * therefore the request deadline.
     */
    private static final String COMMON = String.join("\n",
            "ringkernel.kernels.start = [" + KERNEL + "]",
            "ringkernel.max-queue-time = " + BenchSystems.TIMEOUT.toSeconds() + "s");

    @Param({"cluster", "local"})
    public String target;

    private BenchCluster cluster;
    private ActorSystem<Void> local;
    private KernelRef kernel;
    private KernelRequest request;

    @Setup
    public void setUp() throws Exception {
        try {
            start();
            request = Payloads.smallRequest();
            checkAnswer();
        } catch (Exception | Error e) {
            // JMH does not tear down a trial whose set-up failed; the nodes' threads would keep its fork alive.
            tearDown();
            throw e;
        }
    }

    private void start() {
        if (target.equals("cluster")) {
            cluster = new BenchCluster(String.join("\n", COMMON,
                    "ringkernel.cluster.instances-per-kernel = 2",
                    "pekko.cluster.jmx.multi-mbeans-in-same-jvm = on"));
            ActorSystem<Void> gpuA = cluster.start("gpu");
            ActorSystem<Void> gpuB = cluster.start("gpu");
            cluster.awaitUp(2);
            ActorSystem<Void> ingress = cluster.start("ingress");
            cluster.awaitUp(3);
            BenchCluster.awaitPlaced(ingress, KERNEL, List.of(gpuA, gpuB));
            kernel = RingKernels.get(ingress).kernel(KERNEL);
        } else {
            local = BenchSystems.create("cluster-local", COMMON);
            kernel = RingKernels.get(local).kernel(KERNEL);
        }
    }

    /** One request answered right (and, across the cluster, by a gpu node) before anything is timed. */
    private void checkAnswer() throws Exception {
        KernelResult result = lone();
        if (!Arrays.equals(Payloads.square(Payloads.small()), result.output().data())) {
            throw new IllegalStateException("square answered " + Arrays.toString(result.output().data()));
        }
        if (target.equals("cluster") == result.node().isEmpty()) {
            throw new IllegalStateException("a " + target + " answer came from node '" + result.node() + "'");
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (local != null) {
            BenchSystems.terminate(local);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(REQUESTS)
    public void throughput() throws Exception {
        ProcessWindow.run(kernel, request, REQUESTS, WINDOW);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public KernelResult lone() throws Exception {
        return kernel.process(request, BenchSystems.TIMEOUT).toCompletableFuture()
                .get(BenchSystems.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
}
