package org.ringkernel.kernels.builtin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;
import org.ringkernel.bridge.runtime.BridgeSettings;
import org.ringkernel.bridge.runtime.RingRouting;

/**
 * The path the host chooses for attention requests on a GPU ring kernel with a launch path, at the default
 * ring-path settings: a 2 MiB request of q, k, v [4096, 32], seconds on one block, is launched; a small one is
 * not. By its arena bytes alone (2 MiB, under the 4 MiB a byte threshold allowed) it stayed on the ring. How the
 * host channel flags and hands over what the routing launches is {@code HostChannelTest}'s.
 */
class AttentionRoutingTest {
    private final KernelDefinition attention = BuiltinKernels.get("attention");
    private final RingRouting routing = RingRouting.gpuRing(
            BridgeSettings.fromConfig(ConfigFactory.defaultReference(), Map.of()).ringPath(), true);

    @Test
    void theIssuesAttentionTakesTheLaunchPathAndASmallOneTheRing() {
        assertTrue(takesLaunchPath(qkv(4096, 32)), "q, k, v of [4096, 32] take the launch path");
        assertFalse(takesLaunchPath(qkv(16, 8)), "q, k, v of [16, 8] stay on the ring");
    }

    private boolean takesLaunchPath(KernelRequest request) {
        return routing.takesLaunchPath(attention.id(), attention.signature().cost(), attention.bind(request));
    }

    private static KernelRequest qkv(int rows, int columns) {
        Tensor t = Tensor.of(new int[] {rows, columns}, new float[rows * columns]);
        return KernelRequest.of(t, t, t);
    }
}
