package org.ringkernel.actors.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * Gathers, every {@code ringkernel.cluster.view-refresh}, what each node of the cluster hosts, and publishes it
 * for readers on any thread (listings, readiness, {@code /api/cluster}). A node that does not answer within
 * the interval drops out of the view until it does again.
 */
final class ClusterView {
    /** What the view takes. */
    sealed interface Message permits Listing, Refresh, Described, Silent {
    }

    private record Listing(Set<ActorRef<NodeDescription.Describe>> reporters) implements Message {
    }

    private enum Refresh implements Message { INSTANCE }

    private record Described(ActorRef<NodeDescription.Describe> reporter, NodeDescription description) implements Message {
    }

    private record Silent(ActorRef<NodeDescription.Describe> reporter) implements Message {
    }

    private ClusterView() {
    }

    /**
     * @param view where the nodes' descriptions are published
     * @param refreshed run after each refresh is sent out
     */
    static Behavior<Message> create(Duration refresh, AtomicReference<List<NodeDescription>> view,
                                    Runnable refreshed) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
            context.getSystem().receptionist().tell(Receptionist.subscribe(NodeReporter.KEY,
                    context.messageAdapter(Receptionist.Listing.class,
                            listing -> new Listing(listing.getServiceInstances(NodeReporter.KEY)))));
            timers.startTimerAtFixedRate(Refresh.INSTANCE, Duration.ZERO, refresh);
            Map<ActorRef<NodeDescription.Describe>, NodeDescription> known = new HashMap<>();
            Set<ActorRef<NodeDescription.Describe>> listed = new HashSet<>();
            Runnable publish = () -> view.set(known.values().stream()
                    .sorted((a, b) -> a.node().compareTo(b.node())).toList());
            return Behaviors.receive(Message.class)
                    .onMessage(Listing.class, listing -> {
                        listed.clear();
                        listed.addAll(listing.reporters());
                        known.keySet().retainAll(listing.reporters());
                        publish.run();
                        return Behaviors.same();
                    })
                    .onMessage(Refresh.class, tick -> {
                        for (ActorRef<NodeDescription.Describe> reporter : listed) {
                            context.ask(NodeDescription.class, reporter, refresh, NodeDescription.Describe::new,
                                    (description, failure) -> description != null
                                            ? new Described(reporter, description) : new Silent(reporter));
                        }
                        refreshed.run();
                        return Behaviors.same();
                    })
                    .onMessage(Described.class, described -> {
                        if (listed.contains(described.reporter())) {
                            known.put(described.reporter(), described.description());
                            publish.run();
                        }
                        return Behaviors.same();
                    })
                    .onMessage(Silent.class, silent -> {
                        known.remove(silent.reporter());
                        publish.run();
                        return Behaviors.same();
                    })
                    .build();
        }));
    }
}
