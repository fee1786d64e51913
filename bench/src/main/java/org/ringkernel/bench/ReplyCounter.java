package org.ringkernel.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.pattern.StatusReply;

/**
 * The tell-throughput harness: an actor that tells a target a message whose {@code replyTo} is itself and counts
 * the replies, keeping a fixed window of messages in flight (each reply sends the next message) until a run's
 * count is answered.
 *
 * <p>A fixed window rather than one burst of every message: the bridge answers requests beyond its ring and wait
 * queue with "overloaded" at once, which would count cheap errors as throughput. Every run must end without an
 * error reply; the benchmark fails otherwise.
 */
final class ReplyCounter extends AbstractBehavior<ReplyCounter.Command> {

    sealed interface Command permits Run, Reply {
    }

    /**
     * Send {@code messages} messages, {@code window} at most unanswered; complete {@code done} when every reply is
     * in, or fail it when any was an error.
     */
    record Run(int messages, int window, CompletableFuture<Void> done) implements Command {
    }

    private record Reply(StatusReply<?> reply) implements Command {
    }

    private final ActorRef<Object> target;
    private final Object message;
    private Run run;
    private int sent;
    private int received;
    private int errors;
    private String firstError;

    /**
     * A counter telling {@code target} the message {@code message} builds around the counter's own reply address.
     *
     * @param <M> what the target takes
     * @param <T> what the target replies inside its {@link StatusReply}
     */
    static <M, T> Behavior<Command> create(ActorRef<M> target, Function<ActorRef<StatusReply<T>>, M> message) {
        return Behaviors.setup(context -> new ReplyCounter(context, widen(target),
                message.apply(narrow(context.messageAdapter(StatusReply.class, Reply::new)))));
    }

    private ReplyCounter(ActorContext<Command> context, ActorRef<Object> target, Object message) {
        super(context);
        this.target = target;
        this.message = message;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Run.class, this::onRun)
                .onMessage(Reply.class, this::onReply)
                .build();
    }

    private Behavior<Command> onRun(Run next) {
        if (run != null) {
            next.done().completeExceptionally(new IllegalStateException("a run is under way"));
            return this;
        }
        run = next;
        sent = 0;
        received = 0;
        errors = 0;
        firstError = null;
        while (sent < Math.min(next.window(), next.messages())) {
            send();
        }
        return this;
    }

    private Behavior<Command> onReply(Reply reply) {
        if (reply.reply().isError()) {
            errors++;
            if (firstError == null) {
                firstError = String.valueOf(reply.reply().getError().getMessage());
            }
        }
        received++;
        if (sent < run.messages()) {
            send();
        }
        if (received == run.messages()) {
            if (errors == 0) {
                run.done().complete(null);
            } else {
                run.done().completeExceptionally(new IllegalStateException(errors + " of " + received
                        + " replies were errors, the first: " + firstError));
            }
            run = null;
        }
        return this;
    }

    /** Runs {@code messages} through {@code counter} and waits until every reply is in. */
    static void drive(ActorRef<Command> counter, int messages, int window) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        counter.tell(new Run(messages, window, done));
        done.get(BenchSystems.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private void send() {
        target.tell(message);
        sent++;
    }

    @SuppressWarnings("unchecked")
    private static ActorRef<Object> widen(ActorRef<?> ref) {
        return (ActorRef<Object>) ref;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> ActorRef<StatusReply<T>> narrow(ActorRef<StatusReply> ref) {
        return (ActorRef<StatusReply<T>>) (ActorRef<?>) ref;
    }
}
