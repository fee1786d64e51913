package org.ringkernel.kernels.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.clock.HybridLogicalClock;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.ring.ControlBlock;
import org.ringkernel.bridge.ring.KernelMemoryLayout;
import org.ringkernel.bridge.ring.RequestDescriptor;
import org.ringkernel.bridge.ring.RingWriter;
import org.ringkernel.bridge.ring.SharedMemory;
import org.ringkernel.bridge.runtime.BridgeSettings;
import org.ringkernel.bridge.runtime.DeviceExecution;
import org.ringkernel.bridge.runtime.InjectedFault;
import org.ringkernel.bridge.runtime.InstanceSettings;
import org.ringkernel.bridge.runtime.KernelInstance;
import org.ringkernel.bridge.runtime.RingRouting;

/**
 * The path the host chooses for attention requests on a GPU ring kernel with a launch path, at the default
 * ring-path settings: a 2 MiB request of q, k, v [4096, 32], seconds on one block, is launched; a small one is
 * not. By its arena bytes alone (2 MiB, under the 4 MiB a byte threshold allowed) it stayed on the ring.
 */
class AttentionRoutingTest {
    private static final int CAPACITY = 8;
    private static final int ARENA = 4 << 20;

    private final KernelMemoryLayout layout = KernelMemoryLayout.of(CAPACITY, ARENA);
    private final ByteBuffer memory = SharedMemory.allocateAligned(layout.totalLength());
    private final List<Long> launched = new ArrayList<>();

    @Test
    void theIssuesAttentionTakesTheLaunchPathAndASmallOneTheRing() {
        KernelDefinition attention = BuiltinKernels.get("attention");
        KernelInstance instance = onRingKernel(attention);

        assertTrue(instance.channel().stage(0, attention.bind(qkv(16, 8))), "room for the small request");
        assertTrue(instance.channel().stage(1, attention.bind(qkv(4096, 32))), "room for 2 MiB");
        instance.channel().publish();

        assertEquals(List.of(1L), launched);
        RingWriter h2k = new RingWriter(memory, layout.h2kOffset(), CAPACITY, RequestDescriptor.LENGTH);
        assertEquals(0, memory.getInt(h2k.recordOffset(0) + RequestDescriptor.FLAGS_OFFSET));
        assertEquals(RequestDescriptor.FLAG_LAUNCH_PATH,
                memory.getInt(h2k.recordOffset(1) + RequestDescriptor.FLAGS_OFFSET));
    }

    private static KernelRequest qkv(int rows, int columns) {
        Tensor t = Tensor.of(new int[] {rows, columns}, new float[rows * columns]);
        return KernelRequest.of(t, t, t);
    }

    private KernelInstance onRingKernel(KernelDefinition kernel) {
        new ControlBlock(memory, 0).hostInitialize(CAPACITY, CAPACITY, layout.arenaLength(), 0);
        BridgeSettings defaults = BridgeSettings.fromConfig(ConfigFactory.defaultReference(), Map.of());
        InstanceSettings settings = new InstanceSettings(CAPACITY, ARENA, CAPACITY, false,
                defaults.instance().idle());
        return new KernelInstance(kernel, 1, memory, layout, settings, HybridLogicalClock.system(),
                new RingKernelStandIn(RingRouting.gpuRing(defaults.ringPath(), true), launched));
    }

    /** A GPU ring kernel as the host channel sees it, without a loop: launched positions are recorded. */
    private record RingKernelStandIn(RingRouting routing, List<Long> launched) implements DeviceExecution {

        @Override
        public void launchOnHost(long position) {
            launched.add(position);
        }

        @Override
        public String mode() {
            return "persistent";
        }

        @Override
        public Optional<Throwable> failureCause() {
            return Optional.empty();
        }

        @Override
        public boolean awaitStopped(Duration timeout) {
            return true;
        }

        @Override
        public void release() {
        }

        @Override
        public void inject(InjectedFault fault) {
        }

        @Override
        public void abandon() {
        }

        @Override
        public void ring() {
        }
    }
}
