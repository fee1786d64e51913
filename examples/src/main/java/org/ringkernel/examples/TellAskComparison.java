package org.ringkernel.examples;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;
import org.ringkernel.actors.KernelCommand;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.actors.RingKernels;
import org.ringkernel.bridge.kernel.KernelRequest;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * A quick side-by-side, in one run: tell throughput and ask round trip through the {@code square} kernel's
 * actor against a plain typed actor that squares the same 16 floats itself. Not a benchmark harness (no
 * forks, few iterations); it prints the figures and their ratios.
 *
 * <p>Usage: {@code java -cp <classpath> org.ringkernel.examples.TellAskComparison [tells] [asks]}
 */
public final class TellAskComparison {
    private static final int FLOATS = 16;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** The plain actor's one message: square {@code values} and reply. */
    record Square(float[] values, ActorRef<StatusReply<float[]>> replyTo) {
    }

    private TellAskComparison() {
    }

    public static void main(String[] args) throws Exception {
        int tells = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int asks = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "tell-ask-comparison");
        try {
            KernelRef square = RingKernels.get(system).kernel("square");
            ActorRef<Square> plain = system.systemActorOf(plainSquare(), "plain-square", Props.empty());
            float[] values = new float[FLOATS];
            Arrays.fill(values, 1.5f);
            KernelRequest request = KernelRequest.of(Tensor.of(values));
            Function<ActorRef<StatusReply<?>>, Object> bridgeMessage = replyTo -> new KernelCommand.Process(request,
                    TIMEOUT, narrow(replyTo));
            Function<ActorRef<StatusReply<?>>, Object> plainMessage = replyTo -> new Square(values, narrow(replyTo));

            for (int round = 0; round < 2; round++) {
                boolean report = round == 1;
                double plainTell = tellThroughput(system, widen(plain), plainMessage, tells);
                double bridgeTell = tellThroughput(system, widen(square.ref()), bridgeMessage, tells);
                long[] plainAsk = askLatencies(system, widen(plain), plainMessage, asks);
                long[] bridgeAsk = askLatencies(system, widen(square.ref()), bridgeMessage, asks);
                if (report) {
                    print("tell throughput (msgs/s)", plainTell, bridgeTell, bridgeTell / plainTell);
                    print("ask round trip p50 (us)", micros(plainAsk, 0.5), micros(bridgeAsk, 0.5),
                            micros(bridgeAsk, 0.5) / micros(plainAsk, 0.5));
                    print("ask round trip p99 (us)", micros(plainAsk, 0.99), micros(bridgeAsk, 0.99),
                            micros(bridgeAsk, 0.99) / micros(plainAsk, 0.99));
                }
            }
        } finally {
            system.terminate();
        }
    }

    private static Behavior<Square> plainSquare() {
        return Behaviors.receive((context, message) -> {
            float[] out = new float[message.values().length];
            for (int i = 0; i < out.length; i++) {
                out[i] = message.values()[i] * message.values()[i];
            }
            message.replyTo().tell(StatusReply.success(out));
            return Behaviors.same();
        });
    }

    /** Messages per second from tell to reply, all sent at once to a target that replies to a counting actor. */
    private static double tellThroughput(ActorSystem<?> system, ActorRef<Object> target,
                                         Function<ActorRef<StatusReply<?>>, Object> message, int count)
            throws Exception {
        AtomicLong replies = new AtomicLong();
        CompletableFuture<Long> done = new CompletableFuture<>();
        ActorRef<StatusReply<?>> counter = system.systemActorOf(Behaviors.<StatusReply<?>>receive((context, reply) -> {
            if (replies.incrementAndGet() == count) {
                done.complete(System.nanoTime());
            }
            return Behaviors.same();
        }), "counter-" + System.nanoTime(), Props.empty());
        Object each = message.apply(counter);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            target.tell(each);
        }
        long end = done.get(60, TimeUnit.SECONDS);
        return count / ((end - start) / 1e9);
    }

    private static long[] askLatencies(ActorSystem<?> system, ActorRef<Object> target,
                                       Function<ActorRef<StatusReply<?>>, Object> message, int count) throws Exception {
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            AskPattern.<Object, StatusReply<?>>ask(target, message::apply, TIMEOUT, system.scheduler())
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static double micros(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) (quantile * sorted.length))] / 1e3;
    }

    private static void print(String measure, double plain, double bridge, double ratio) {
        System.out.printf(Locale.ROOT, "%-26s plain %12.1f   bridge %12.1f   bridge/plain %.2f%n", measure, plain, bridge,
                ratio);
    }

    @SuppressWarnings("unchecked")
    private static <T> ActorRef<T> narrow(ActorRef<StatusReply<?>> ref) {
        return (ActorRef<T>) (ActorRef<?>) ref;
    }

    @SuppressWarnings("unchecked")
    private static ActorRef<Object> widen(ActorRef<?> ref) {
        return (ActorRef<Object>) ref;
    }
}
