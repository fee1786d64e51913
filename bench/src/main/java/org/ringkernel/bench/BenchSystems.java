package org.ringkernel.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** Actor systems for the benchmarks: CPU backend, quiet logging, only the kernels a benchmark names. */
final class BenchSystems {
    /** Deadline of every request and ask; far above any round trip, so it only ends a stuck run. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final String BASE = """
            ringkernel.backend = cpu
            pekko.loglevel = WARNING
            pekko.log-dead-letters = off
            """;

    private BenchSystems() {
    }

    /** A system whose configuration is {@code overrides} over the benchmark defaults over the modules' own. */
    static ActorSystem<Void> create(String name, String overrides) {
        return ActorSystem.create(Behaviors.empty(), name, config(overrides));
    }

    /** {@code overrides} over the benchmark defaults over the modules' own. */
    static Config config(String overrides) {
        return ConfigFactory.parseString(overrides)
                .withFallback(ConfigFactory.parseString(BASE))
                .withFallback(ConfigFactory.load());
    }

    /** Terminates {@code system} and waits for it, so the next trial starts on a quiet machine. */
    static void terminate(ActorSystem<?> system) throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
}
