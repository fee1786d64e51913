package org.ringkernel.actors;

import static org.ringkernel.actors.ActorTestSupport.await;
import static org.ringkernel.actors.ActorTestSupport.awaitTrue;

import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/** On one node too, a kernel with several instances sends every request with one routing key to one instance. */
class RoutingKeyTest {
    private static ActorTestKit testKit;

    @BeforeAll
    static void start() {
        testKit = ActorTestSupport.testKit("ringkernel.kernels { start = [square], instances = 3 }");
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void requestsWithOneKeyAllReachOneInstance() throws Exception {
        KernelRef square = RingKernels.get(testKit.system()).kernel("square");
        for (String key : List.of("alpha", "beta", "gamma", "delta")) {
            long[] before = received(square);
            for (int i = 0; i < 30; i++) {
                await(square.process(KernelRequest.of(Tensor.of(i)).withRoutingKey(key)));
            }
            int instance = Math.floorMod(key.hashCode(), 3);
            awaitTrue(() -> received(square)[instance] - before[instance] == 30,
                    "instance " + instance + " reports the 30 requests of key " + key);
            long[] after = received(square);
            for (int other = 0; other < 3; other++) {
                if (other != instance && after[other] != before[other]) {
                    throw new AssertionError("instance " + other + " took requests of key " + key);
                }
            }
        }
    }

    private static long[] received(KernelRef kernel) {
        return kernel.info().instances().stream().mapToLong(instance -> instance.counters().received()).toArray();
    }
}
