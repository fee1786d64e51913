package org.ringkernel.data.tensor;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;

/** Test systems on the CPU backend that start kernels on first use only, so a test runs just the ones it needs. */
final class TensorTestKit {
    private TensorTestKit() {
    }

    static ActorTestKit create() {
        return ActorTestKit.create(ConfigFactory.parseString("""
                ringkernel.backend = cpu
                ringkernel.kernels.start = []
                """).withFallback(ConfigFactory.load()));
    }
}
