package org.ringkernel.actors.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.function.ToLongFunction;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.ringkernel.actors.InstanceStatus.InstanceCounters;
import org.ringkernel.actors.KernelRef;

/** A kernel's counters summed over its instances, as they last reported (every ~100 ms and on some changes). */
final class KernelLoad {

    private KernelLoad() {
    }

    static long sum(KernelRef kernel, ToLongFunction<InstanceCounters> counter) {
        return kernel.info().instances().stream().mapToLong(instance -> counter.applyAsLong(instance.counters())).sum();
    }

    /** Requests in the kernel's rings or waiting for them. */
    static long outstanding(KernelRef kernel) {
        return sum(kernel, counters -> counters.inFlight() + counters.waiting());
    }

    /** Waits until the kernel reports {@code expected} outstanding requests. */
    static void awaitOutstanding(ActorTestKit testKit, KernelRef kernel, long expected) {
        testKit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
            assertEquals(expected, outstanding(kernel), "requests in flight or waiting in kernel '" + kernel.id() + "'");
            return null;
        });
    }
}
