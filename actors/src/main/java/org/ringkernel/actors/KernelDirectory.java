package org.ringkernel.actors;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The kernels running in one actor system, readable from any thread: each kernel supervisor publishes its
 * ref once and its {@link KernelInfo} whenever an instance reports. The extension answers lookups, listings
 * and readiness from here without asking actors.
 */
final class KernelDirectory {
    /**
     * One kernel's stable refs and latest info.
     *
     * @param ref its supervisor
     * @param instances its instance actors, empty until the supervisor has spawned them
     * @param info what its instances last reported
     */
    record Entry(ActorRef<KernelCommand> ref, List<ActorRef<KernelCommand>> instances, KernelInfo info) {
        Entry {
            instances = List.copyOf(instances);
        }

        /** Where messages go: straight to the only instance, else to the supervisor that spreads them. */
        ActorRef<KernelCommand> front() {
            return instances.size() == 1 ? instances.get(0) : ref;
        }
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    void publish(String id, ActorRef<KernelCommand> ref, List<ActorRef<KernelCommand>> instances, KernelInfo info) {
        entries.put(id, new Entry(ref, instances, info));
    }

    void remove(String id) {
        entries.remove(id);
    }

    Optional<Entry> find(String id) {
        return Optional.ofNullable(entries.get(id));
    }

    /** Every entry, by the name it was published under. */
    Map<String, Entry> entries() {
        return Map.copyOf(entries);
    }

    List<KernelInfo> all() {
        return entries.values().stream().map(Entry::info).sorted(KernelInfo.ORDER).toList();
    }
}
