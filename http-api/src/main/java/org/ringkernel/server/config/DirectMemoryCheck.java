package org.ringkernel.server.config;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.ringkernel.actors.RingKernelSettings;
import org.ringkernel.actors.cluster.ClusterSettings;
import org.ringkernel.bridge.ring.KernelMemoryLayout;
import org.ringkernel.bridge.runtime.InstanceSettings;
import org.ringkernel.bridge.runtime.SettingsException;

/**
 * Whether the JVM's direct memory holds what the kernels started with the server take: one block (control
 * block, rings, arena) per instance, or in a cluster per kernel entity this node may come to host. With too
 * little, every launch would fail with an OutOfMemoryError once start-up is under way; checked first, it is one
 * sentence and exit code 2.
 */
final class DirectMemoryCheck {
    /** Alignment of a block to a page, and Pekko's network buffers, beside the blocks themselves. */
    private static final long SLACK_PER_BLOCK = 4096;
    private static final long SLACK = 8L << 20;

    private DirectMemoryCheck() {
    }

    /** The bytes of direct memory this JVM may allocate: -XX:MaxDirectMemorySize, or the heap's bound without it. */
    static long available() {
        String value = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .getVMOption("MaxDirectMemorySize").getValue();
        long configured = Long.parseLong(value);
        return configured > 0 ? configured : Runtime.getRuntime().maxMemory();
    }

    /**
     * @throws SettingsException at {@code ringkernel.kernels.start}, with the sizes, when {@code available} bytes
     *         do not hold the started kernels' blocks
     */
    static void require(RingKernelSettings kernels, ClusterSettings cluster, long available) {
        long needed = needed(kernels, cluster);
        if (needed > available) {
            String what = cluster.enabled()
                    ? String.format(Locale.ROOT, "%d kernel entities (every entity of the started kernels, as the "
                            + "last node with role %s hosts them)", blocks(kernels, cluster), ClusterSettings.GPU_ROLE)
                    : String.format(Locale.ROOT, "%d kernels x %d instances", kernels.startKernels().size(),
                            kernels.instances());
            throw new SettingsException("ringkernel.kernels.start", String.format(Locale.ROOT,
                    "kernels whose memory fits the JVM's direct memory: %s take %.1f MiB "
                            + "(%.1f MiB each, for ringkernel.kernel.arena-size and the rings of "
                            + "ringkernel.queue-capacity), more than the %.1f MiB of -XX:MaxDirectMemorySize; raise it "
                            + "(JAVA_OPTS for bin/ringkernel-server) or start fewer or smaller kernels",
                    what, mib(needed), mib(perBlock(kernels)), mib(available)));
        }
    }

    /** The direct memory the kernels started with the server take, at most. */
    static long needed(RingKernelSettings kernels, ClusterSettings cluster) {
        return blocks(kernels, cluster) * perBlock(kernels) + SLACK;
    }

    /**
     * Kernel instances this node may run: those it starts itself, or in a cluster every entity of the started
     * kernels on a node with role gpu (the last one standing hosts them all) and none on an ingress-only node.
     */
    private static long blocks(RingKernelSettings kernels, ClusterSettings cluster) {
        if (!cluster.enabled()) {
            return (long) kernels.startKernels().size() * kernels.instances();
        }
        if (!cluster.hostsKernels()) {
            return 0;
        }
        return kernels.startKernels().stream().mapToLong(cluster::instancesOf).sum();
    }

    private static long perBlock(RingKernelSettings kernels) {
        InstanceSettings instance = kernels.bridge().instance();
        return KernelMemoryLayout.of(instance.capacity(), instance.arenaBytes()).totalLength() + SLACK_PER_BLOCK;
    }

    private static double mib(long bytes) {
        return bytes / (double) (1 << 20);
    }
}
