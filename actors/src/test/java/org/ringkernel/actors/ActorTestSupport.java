package org.ringkernel.actors;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;

/** Starting actor systems with a given configuration, and waiting on probes without sleeping. */
public final class ActorTestSupport {
    static final Duration WAIT = Duration.ofSeconds(20);

    private ActorTestSupport() {
    }

    /** A test kit whose configuration is {@code hocon} over the defaults. */
    public static ActorTestKit testKit(String hocon) {
        return ActorTestKit.create(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.load()));
    }

    static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The {@link KernelRequestException} {@code stage} fails with. */
    static KernelRequestException failure(CompletionStage<?> stage) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        return assertInstanceOf(KernelRequestException.class, e.getCause());
    }

    /** Polls {@code condition} until it holds, failing with {@code what} after {@link #WAIT}. */
    public static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** The counters of instance {@code index} of {@code kernel}, as last reported. */
    static InstanceStatus.InstanceCounters counters(KernelRef kernel, int index) {
        return kernel.info().instances().get(index).counters();
    }
}
