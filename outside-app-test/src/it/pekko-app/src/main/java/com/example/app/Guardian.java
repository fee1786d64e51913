package com.example.app;

import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** The application's root actor: it spawns the asking actor and hands its verdict to {@code main}. */
final class Guardian {
    private Guardian() {
    }

    sealed interface Command permits Passed, Failed {
    }

    /** Every answer was right; {@code report} says what they were. */
    record Passed(String report) implements Command {
    }

    /** An answer was wrong or missing. */
    record Failed(String reason) implements Command {
    }

    static Behavior<Command> create(CompletableFuture<String> report) {
        return Behaviors.setup(context -> {
            context.spawn(Asker.create(context.getSelf()), "asker");
            return Behaviors.receive(Command.class)
                    .onMessage(Passed.class, passed -> {
                        report.complete(passed.report());
                        return Behaviors.same();
                    })
                    .onMessage(Failed.class, failed -> {
                        report.completeExceptionally(new IllegalStateException(failed.reason()));
                        return Behaviors.same();
                    })
                    .build();
        });
    }
}
